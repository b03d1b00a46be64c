"""``kb topics``: the topic tree, or one topic's references, skills and authors."""

from __future__ import annotations

import click

from kb.cli.base import dump_json, get_kb, listing_options, plural, wrap


@click.command()
@click.argument("topic", required=False)
@listing_options()
@click.pass_context
def topics(ctx: click.Context, topic: str | None, worksheet: str | None, fmt: str) -> None:
    """The topic tree with counts, or one TOPIC (id or label): references, skills, authors."""
    from kb.network import pages

    base = get_kb(ctx, worksheet)
    if not topic:
        tree = pages.topics_tree(base)
        if fmt == "json":
            dump_json(tree)
            return
        stack = list(reversed(tree))
        while stack:
            node = stack.pop()
            counts = f"{plural(node['references'], 'reference')}, {plural(node['skills'], 'skill')}"
            click.echo(f"{'  ' * node['depth']}{node['label']} [{node['id']}]: {counts}")
            stack.extend(reversed(node["children"]))
        return
    info = pages.topic_info(base, topic, given_as="TOPIC")
    if fmt == "json":
        dump_json(info)
        return
    click.echo(f"{info['label']}  [{info['id']}, {info['scheme']}]")
    if info["definition"]:
        click.echo(wrap(info["definition"], "  "))
    click.echo(
        f"  broader: {info['broader'] or '-'}; narrower: {', '.join(info['narrower']) or '-'}"
    )
    refs = [f"{r['label']} ({r['key']})" for r in info["references"]]
    click.echo(wrap(f"references ({len(refs)}): {', '.join(refs) or 'none'}", "  "))
    skills = [f"{s['order']}. {s['skill']}" for s in info["skills"]]
    click.echo(wrap(f"skills ({len(skills)}): {', '.join(skills) or 'none'}", "  "))
    click.echo(wrap(f"authors: {', '.join(info['authors']) or 'none'}", "  "))
    co = [f"{c['topic']} ({c['weight']})" for c in info["cooccurs"]]
    click.echo(wrap(f"co-occurs with: {', '.join(co) or 'none'}", "  "))
