"""Word lists the graders and the bank's gates share: negators, opposite pairs, terms of art.

Entries are plain lower-case words; `canonical()` gives them as `bot.domain.lemmas.lemma`
forms, which is how the graders compare them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.domain.lemmas import lemma

# Words that deny what follows them in a clause (to the next comma). "n't" is read as "not".
# Softer words ("fail", "instead", "barely") are left out: correct answers use them all the time.
NEGATORS = frozenset(
    {"not", "no", "never", "none", "neither", "nor", "cannot", "without", "nothing"}
)
# Of those, the ones a synonym may not carry unless its point does: they state the opposite.
DENIALS = NEGATORS - {"nothing"}

# Pairs of words that state opposite claims in the same frame ("bias rises" / "bias falls").
# Several pairs share a word (more/less, more/fewer); lookups go both ways.
_PAIRS = """
increase decrease | increase reduce | increase lower | rise fall | grow shrink | raise lower
higher lower | high low | more less | more fewer | larger smaller | large small | big small
bigger smaller | greater smaller | greater less | most least | maximum minimum | max min
maximise minimise | maximize minimize | above below | over under | upper lower | up down
before after | earlier later | early late | first last | precede follow | past future
overfit underfit | overfitting underfitting | overestimate underestimate
overconfident underconfident | overshoot undershoot
faster slower | fast slow | quicker slower | long short | longer shorter | wide narrow
wider narrower | deep shallow | deeper shallower | dense sparse | positive negative
add remove | add subtract | include exclude | inside outside | keep discard | keep drop
preserve change | preserve destroy | same different | similar different | true false
correct incorrect | right wrong | valid invalid | stable unstable | convex nonconvex
linear nonlinear | independent dependent | local global | cheap expensive
cheaper costlier | weak strong | weaker stronger | rare common | sufficient necessary
lossless lossy | static dynamic | synchronous asynchronous | parallel sequential
stateless stateful | vanish explode | vanishing exploding | accept reject | prior posterior
continuous discrete | forward reverse | forward backward | encoder decoder | train test
training inference | supervised unsupervised | online offline | on-policy off-policy
explore exploit | exploration exploitation | bias variance | precision recall
mode-seeking mode-covering | mode-seeking mass-covering | zero-forcing zero-avoiding
underfitting overfitting | homoscedastic heteroscedastic | left right | row column
input output | start end | open closed | safe unsafe | help hurt | improve worsen
improve degrade | gain loss | benefit harm | cause prevent | allow forbid | enable disable
succeed fail | success failure | win lose | easy hard | easier harder | simple complex
simpler complex | stronger weaker | tighter looser | tight loose | even odd
""".replace("\n", "|").split("|")

OPPOSITES: dict[str, frozenset[str]] = {}
for _pair in filter(str.strip, _PAIRS):
    _a, _b = _pair.split()
    OPPOSITES[_a] = OPPOSITES.get(_a, frozenset()) | {_b}
    OPPOSITES[_b] = OPPOSITES.get(_b, frozenset()) | {_a}


# Words that carry no claim of their own: an answer made of few of them is a list of keywords,
# not an explanation.
def word_set(text: str) -> frozenset[str]:
    """The words of a blank-separated list."""
    return frozenset(text.split())


FUNCTION_WORDS = word_set(
    """a an the of to in on for and or is are was were be been being by with as at it its
    that this these those from into than then so because since if when while which who what
    how why where there their they them we you i he she his her our your my me us can could
    would should will may might must do does did has have had but also just about through
    once"""
)

# Single words that are terms of art: precise enough to stand alone as a synonym.
TERMS_OF_ART = word_set(
    """softmax dropout holdout propensity goodhart cuped sutva switchback bonferroni holm fdr
    familywise pocock msprt thompson ucb ips snips mde rlhf rlaif rlvr dpo ppo sft elbo huffman
    nll ece platt isotonic infonce vit vae ner lstm gru bptt relu gelu swiglu layernorm rmsnorm
    chinchilla checkpointing rematerialisation rematerialization quantisation quantization
    distillation sharding graphsage graphsaint gcnii pairnorm dropedge xgboost lightgbm
    catboost shap pca fpn iou deit hessian jacobian eigenvalue kfac shampoo lbfgs
    preconditioner preconditioning autocorrelation homoscedastic heteroscedastic bootstrap
    bootstrapping bagging confounder confounding unconfoundedness ignorability positivity
    caliper counterfactual randomisation randomization randomised randomized uplift mmr dpp
    ndcg auc psi wmape mase rmse mae hbm sram flops vram int8 int4 nf4 fp8 fp16 bf16 lora
    qlora rag reranker reranking hallucination jailbreak exfiltration sandbox allowlist
    idempotent canary mlflow docker lineage backfill diffusion denoising autoencoder mamba
    yarn ntk cudnn coalesce sargable btree isnull datediff overfitting underfitting
    regularisation regularization backpropagation kv-cache flashattention tokenizer
    tokenisation tokenization embedding embeddings perplexity entropy cross-entropy
    surprisal logit logits sigmoid tanh batchnorm residual attention transformer
    convolution pooling stride dilation augmentation mixup cutmix gan discriminator
    contrastive triplet siamese word2vec glove bm25 tf-idf rouge bleu bertscore speculative
    paged vllm continuous-batching prefill moe expert router gating ssm s4 hyena rwkv
    retnet qualify lag tiebreaker selectivity regret sarsa reinforce grpo trpo dqn bellman
    rope gqa hnsw bpr sasrec serendipity novelty svd vjp jvp eigenvector eigenbasis collider
    mediator deduplication chunking matmul nms srm lasso multicollinearity equivariance
    invariance mrmr mdl xor seasonality prosody spectrogram gat gcn heterophily homophily
    sycophancy superposition polysemanticity qat ptq mape smote adam adamw warmup backprop
    bpe clickbait chargeback"""
)


@dataclass(frozen=True)
class Canonical:
    """The word lists as lemmas."""

    negators: frozenset[str]
    denials: frozenset[str]
    opposites: dict[str, frozenset[str]]
    function_words: frozenset[str]
    terms_of_art: frozenset[str]


@cache
def canonical() -> Canonical:
    """The lists in lemma form, built on first use (the lemma table loads lazily)."""
    opposites: dict[str, frozenset[str]] = {}

    def pair(a: str, b: str) -> None:
        opposites[a] = opposites.get(a, frozenset()) | {b}

    for word, others in OPPOSITES.items():
        for other in others:
            pair(lemma(word), lemma(other))
            # "mode-seeking"/"mode-covering": graders read hyphen parts apart, so the part that
            # differs carries the opposition (seek/cover).
            parts, other_parts = word.split("-"), other.split("-")
            if len(parts) == len(other_parts) > 1:
                differ = [(a, b) for a, b in zip(parts, other_parts, strict=True) if a != b]
                if len(differ) == 1:
                    pair(lemma(differ[0][0]), lemma(differ[0][1]))
    return Canonical(
        negators=frozenset(lemma(w) for w in NEGATORS),
        denials=frozenset(lemma(w) for w in DENIALS),
        opposites=opposites,
        function_words=frozenset(lemma(w) for w in FUNCTION_WORDS),
        terms_of_art=frozenset(lemma(w) for w in TERMS_OF_ART),
    )
