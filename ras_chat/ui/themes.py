"""Themes: Textual's default and a high-contrast one (pure black and white, yellow focus).

High contrast keeps every foreground/background pair at or near 21:1; meaning is never
carried by colour alone (labels and borders tell the assistant from the person).
"""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme
from textual.widgets import Input

DEFAULT_THEME = "textual-dark"

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-text-style": "bold",
        "input-selection-background": "#FFFF00",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "footer-background": "#000000",
        "scrollbar": "#FFFFFF",
        "scrollbar-background": "#000000",
        "border": "#FFFFFF",
        "text-muted": "#FFFFFF",
    },
)

THEMES = {"default": DEFAULT_THEME, "high-contrast": HIGH_CONTRAST.name}
"""The names a person can pick (`--theme`, `RAS_CHAT_THEME`) and Textual's theme for each."""


def theme_name(choice: str | None) -> str:
    """Textual's theme name for a person's choice; unknown names raise ValueError."""
    key = (choice or "default").strip().lower().replace("_", "-")
    if key in ("high", "contrast", "hc"):
        key = "high-contrast"
    if key not in THEMES:
        raise ValueError(f"no theme {choice!r}: choose one of {', '.join(THEMES)}")
    return THEMES[key]


def hold_still(app: App) -> None:
    """No animation and no blinking cursor (issue 4: nothing moves or blinks unless asked
    for). Call in every app's `__init__`: the cursor setting is a class default, so it must
    be set before any Input exists."""
    app.animation_level = "none"
    Input.cursor_blink = False  # type: ignore[assignment]  # the class default, not one widget's reactive value
