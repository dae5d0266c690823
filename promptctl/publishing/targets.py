"""The registries by name, each built from the environment variables its tool documents."""

from __future__ import annotations

from collections.abc import Mapping

from promptctl.publishing import Registry

TARGETS = ("mlflow", "phoenix", "langfuse")


def registry(target: str, env: Mapping[str, str], url: str | None) -> Registry:
    if target == "mlflow":
        from promptctl.publishing.mlflow import MLflow

        return MLflow.from_env(env, url)
    if target == "phoenix":
        from promptctl.publishing.phoenix import Phoenix

        return Phoenix.from_env(env, url)
    from promptctl.publishing.langfuse import Langfuse

    return Langfuse.from_env(env, url)
