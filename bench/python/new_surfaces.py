"""The official W&B client's newest public API surfaces against the local server: organizations,
registries, integrations, automations, a run's console logs and `run.stop()`, each with what it
returned or the error. Run by `bench/capture_official.ts` (its traffic becomes a fixture) and by
`bench/official_client.ts`:

    python bench/python/new_surfaces.py <url> <api key>

Prints one tab-separated line per call: name, ok or FAIL, the value or the error.
"""

import sys
import tempfile

from _common import use_local_server

home = tempfile.mkdtemp()
use_local_server(sys.argv[1], sys.argv[2], home)

import wandb  # noqa: E402
from wandb.automations import (  # noqa: E402
    ArtifactEvent,
    DoNothing,
    OnAddArtifactAlias,
    OnLinkArtifact,
    OnRunState,
    OnRunMetric,
    RunEvent,
    SendNotification,
    SendWebhook,
)

api = wandb.Api(overrides={"entity": "acme"})
results = []


def check(name, fn):
    """Runs one call, keeping what it returned or how it failed."""
    try:
        results.append((name, "ok", repr(fn())[:100]))
    except Exception as e:  # noqa: BLE001  (every failure is reported, none stops the others)
        message = " ".join(str(e).split())
        results.append((name, "FAIL", f"{type(e).__name__}: {message[:300]}"))


def first(iterable):
    return next(iter(iterable))


running = first(api.runs("acme/mnist", filters={"state": "running"}))
check("run.console_logs()", lambda: [line.content for line in running.console_logs()][:3])
check("run.console_logs(last=2)", lambda: [line.number for line in running.console_logs(last=2)])
check("api.organization()", lambda: api.organization().name)
check("api.organization(name)", lambda: api.organization("acme-corp").name)
check("api.integrations", lambda: [i.__class__.__name__ for i in api.integrations(entity="acme")])
check("api.slack_integrations", lambda: [i.channel_name for i in api.slack_integrations(entity="acme")])
check("api.webhook_integrations", lambda: [i.name for i in api.webhook_integrations(entity="acme")])
check("api.registries", lambda: [r.name for r in api.registries()])
check("api.registries(filter)", lambda: [r.name for r in api.registries(filter={"name": {"$regex": "model"}})])
check("api.registry", lambda: api.registry("model").description)
check("registry.collections", lambda: [c.name for c in api.registry("model").collections()])
check("registry.versions", lambda: [v.name for v in api.registry("model").versions()])
check("registry.user_members", lambda: [m.user.username for m in api.registry("model").user_members()])
check("registry.team_members", lambda: [m.team.name for m in api.registry("model").team_members()])
check(
    "api.create_registry",
    lambda: api.create_registry("datasets", visibility="restricted", description="Curated", artifact_types=["dataset"]).name,
)
# A release that cannot create registries (before 0.80) still edits one: the seeded restricted one.
edited = "datasets" if results[-1][1] == "ok" else "golden-data"


def edit_registry():
    r = api.registry(edited)
    r.description = "Curated data"
    r.save()
    return api.registry(edited).description


check("registry.save", edit_registry)
check("registry.add_members", lambda: api.registry(edited).add_members(api.user("bob")) and True)
check("registry.update_member", lambda: api.registry(edited).update_member(api.user("bob"), role="viewer") and True)
check("registry.remove_members", lambda: api.registry(edited).remove_members(api.user("bob")) and True)
check("registry.delete", lambda: api.registry(edited).delete())
check("api.automations", lambda: [a.name for a in api.automations(entity="acme")])
check("api.automations()", lambda: sorted(a.name for a in api.automations()))
check("api.automation", lambda: repr(api.automation("failed-runs-to-slack", entity="acme").event))
check("api.automation(metric)", lambda: repr(api.automation("loss-spike", entity="acme").event))
check("api.automation(webhook)", lambda: repr(api.automation("prod-dataset-webhook", entity="acme").action))
project = api.project("mnist", entity="acme")


def create_automation():
    hook = first(api.webhook_integrations(entity="acme"))
    event = OnRunMetric(scope=project, filter=RunEvent.metric("loss") > 10)
    return api.create_automation(
        event >> SendWebhook.from_integration(hook, payload={"text": "loss diverged"}),
        name="loss-alarm",
        description="Tell the on-call hook when loss passes 10",
    ).name


check("api.create_automation", create_automation)


def update_automation():
    a = api.automation("loss-alarm", entity="acme")
    a.description = "loss above 10"
    return api.update_automation(a).description


check("api.update_automation", update_automation)
check("api.delete_automation", lambda: api.delete_automation(api.automation("loss-alarm", entity="acme")))
check(
    "api.create_automation(slack)",
    lambda: api.delete_automation(
        api.create_automation(
            OnLinkArtifact(scope=api.artifact_collection("model", "acme/mnist/mnist-cnn"))
            >> SendNotification.from_integration(first(api.slack_integrations(entity="acme"))),
            name="slack-on-link",
        )
    ),
)
check(
    "api.create_automation(state)",
    lambda: api.delete_automation(
        api.create_automation(
            OnRunState(scope=project, filter=RunEvent.state.in_(["finished", "failed"]))
            >> DoNothing(),
            name="state-no-op",
        )
    ),
)
check(
    "api.create_automation(alias)",
    lambda: api.delete_automation(
        api.create_automation(
            OnAddArtifactAlias(
                scope=api.artifact_collection("dataset", "acme/mnist/mnist-raw"),
                filter=ArtifactEvent.alias.eq("golden"),
            )
            >> SendNotification.from_integration(
                first(api.slack_integrations(entity="acme")), title="golden", text="new", level="WARN"
            ),
            name="alias-to-slack",
        )
    ),
)


def duplicate_automation():
    """A taken name is refused (HTTP 409, as W&B answers): what the client then says."""
    try:
        api.create_automation(
            OnRunState(scope=project, filter=RunEvent.state.eq("failed")) >> DoNothing(),
            name="failed-runs-to-slack",
        )
    except Exception as e:  # noqa: BLE001
        return f"refused: {e}"
    raise AssertionError("a second automation of the same name was created")


check("api.create_automation(duplicate)", duplicate_automation)
check("run.stop", lambda: running.stop())

for name, status, value in results:
    print(f"{name}\t{status}\t{value}")
