"""Rendering for Discord: embeds, components, modals and charts. No services, no database."""
