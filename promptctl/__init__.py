"""promptctl: git-native prompt management.

The command line is ``promptctl``. The Python API, for applications::

    from promptctl import load_prompt

    prompt = load_prompt("customer-support", tag="production")
    client.messages.create(**prompt.anthropic_kwargs(customer_name="Dana"))

It reads the prompts folder (or an exported bundle) and imports neither git nor
jsonschema nor pricing data.
"""

from typing import TYPE_CHECKING, Any

from promptctl._version import __version__

if TYPE_CHECKING:
    from promptctl.runtime import Prompt, PromptNotFound, PromptRenderError, Registry, Variable, content_hash, load_prompt

__all__ = [
    "Prompt",
    "PromptNotFound",
    "PromptRenderError",
    "Registry",
    "Variable",
    "__version__",
    "content_hash",
    "load_prompt",
]


def __getattr__(name: str) -> Any:
    # The command line imports this package too; only applications pay for the runtime.
    if name in __all__ and name != "__version__":
        from promptctl import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'promptctl' has no attribute {name!r}")
