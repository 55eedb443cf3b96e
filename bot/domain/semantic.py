"""Sentence embeddings from a static model that ships inside its wheel, on the CPU, offline.

The model is wordllama's 256-dimensional "l2_supercat" token table (MIT licence): a sentence is
the mean of its tokens' vectors. Its files are read straight from the installed package; the
package itself is not imported, since its loader can reach for the network. Nothing here ever
opens a connection.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

PACKAGE = "wordllama"
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
Vectors = NDArray[np.float32]


class ModelMissing(RuntimeError):
    """The embedding model's files are not installed."""


def package_dir() -> Path:
    """Where the installed wordllama package keeps its files (without importing it)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"the {PACKAGE} package is not installed (see requirements.lock)")
    return Path(next(iter(spec.submodule_search_locations)))


class Embedder:
    """Turns texts into unit vectors whose dot product is their similarity."""

    def __init__(self, table: NDArray[np.float16], tokenizer: object) -> None:
        self.table = table  # kept in half precision: 16 MB instead of 32
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, root: Path | None = None) -> Embedder:
        """Read the token table and the tokenizer from the installed package."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        where = root or package_dir()
        try:
            table = load_file(str(where / WEIGHTS))["embedding.weight"]
            tokenizer = Tokenizer.from_file(str(where / TOKENIZER))
        except (OSError, KeyError, ValueError) as exc:
            raise ModelMissing(f"cannot read the embedding model in {where}: {exc}") from exc
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return cls(table.astype(np.float16, copy=False), tokenizer)

    @property
    def dimensions(self) -> int:
        """Length of every vector."""
        return int(self.table.shape[1])

    def embed(self, texts: list[str]) -> Vectors:
        """One unit vector per text (a zero vector for a text with no tokens)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(texts, add_special_tokens=False)  # type: ignore[attr-defined]
        rows = self.table.shape[0]
        for i, encoding in enumerate(encoded):
            ids = [t for t in encoding.ids if 0 <= t < rows]
            if not ids:
                continue
            vector = self.table[ids].astype(np.float32).mean(axis=0)
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                out[i] = vector / norm
        return out


@cache
def default_embedder() -> Embedder:
    """The process's one embedder, loaded on first use (warm it off the event loop at start)."""
    return Embedder.load()
