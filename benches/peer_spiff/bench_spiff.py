"""Times SpiffWorkflow running the expense claim of ``expense.bpmn`` from start to end.

Each claim is a new workflow of the parsed spec: the start task is given the claim's data (the
manager, the director and the three reviewers, whom the countersign task is multiplied over),
then the script completes the ready user tasks, as an application would for its people, until
the workflow is done: five user tasks per claim.

Two modes. By default everything stays in memory (SpiffWorkflow's best case: no serialisation
of the workflow between steps, no task lists, no checks of who acts). With ``--persist`` the
workflow is kept as SpiffWorkflow's own JSON between the start and each user task, as an
application serving people over several requests keeps it (deserialised before each step and
serialised after it, in memory, without a database): the least work a real deployment adds.

Prints one line of JSON: {"engine": "SpiffWorkflow", "version": ..., "claims": N, "seconds": S,
"per_second": R}.
"""

import argparse
import json
import time
from importlib.metadata import version
from pathlib import Path

from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

HERE = Path(__file__).resolve().parent


def start_claim(spec, n: int) -> BpmnWorkflow:
    """A new workflow of the claim, its start task given the claim's data, run to the first user tasks."""
    workflow = BpmnWorkflow(spec)
    start = workflow.get_next_task(state=TaskState.READY)
    start.data.update(
        {
            "amount": f"{100 + n % 5000}.50",
            "reason": "client visit",
            "manager": "m00",
            "director": "d00",
            "reviewers": ["ra00", "rb00", "rc00"],
        }
    )
    workflow.do_engine_steps()
    return workflow


def run_claim(spec, n: int) -> None:
    workflow = start_claim(spec, n)
    done = 0
    while not workflow.completed:
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            task.data["approved"] = True
            task.run()
            done += 1
        workflow.do_engine_steps()
    assert done == 5, f"a claim has five user tasks, ran {done}"


SERIALIZER = BpmnWorkflowSerializer()


def run_claim_persisted(spec, n: int) -> None:
    workflow = start_claim(spec, n)
    stored = SERIALIZER.serialize_json(workflow)
    done = 0
    while True:
        workflow = SERIALIZER.deserialize_json(stored)
        if workflow.completed:
            break
        # One request of one approver: load, act on one ready task, save.
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data["approved"] = True
        task.run()
        workflow.do_engine_steps()
        stored = SERIALIZER.serialize_json(workflow)
        done += 1
    assert done == 5, f"a claim has five user tasks, ran {done}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--persist", action="store_true", help="keep the workflow as JSON between steps")
    args = parser.parse_args()
    claim = run_claim_persisted if args.persist else run_claim

    bpmn = BpmnParser()
    bpmn.add_bpmn_file(str(HERE / "expense.bpmn"))
    spec = bpmn.get_spec("expense")
    for n in range(min(100, args.claims)):  # warm-up
        claim(spec, n)
    started = time.perf_counter()
    for n in range(args.claims):
        claim(spec, n)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "engine": "SpiffWorkflow",
                "mode": "persisted as JSON between steps" if args.persist else "in memory",
                "version": version("SpiffWorkflow"),
                "claims": args.claims,
                "seconds": seconds,
                "per_second": args.claims / seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
