"""Command-line interface: a thin layer over the library.

Library errors are exceptions; here they become one-line messages on stderr and
an exit code (1: some input failed, 2: usage error, 3: broken data files). A
traceback only appears with ``--debug``.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kg.errors import KgError


class _Group(click.Group):
    """Turns exceptions into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"kg: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                err=True,
            )
            sys.exit(70)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.version_option(package_name="safety-kg")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """safety-kg: a knowledge graph of work-safety news (安全生产) from Chinese local papers.

    Read newspaper pages (.txt, .md, .html; UTF-8 or GB18030), extract places,
    organizations, industries, venues, hazards, campaigns, mechanisms, measures,
    documents and people with the relations between them, and score the result
    against gold annotations.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register_commands() -> None:
    """Each command lives in a module of this package named after the library part it
    drives (extract and eval, build, the SPARQL commands, views); each exports ``COMMANDS``."""
    from kg.cli import build, extract, sparql, views

    for module in (extract, build, sparql, views):
        for cmd in module.COMMANDS:
            main.add_command(cmd)


_register_commands()
