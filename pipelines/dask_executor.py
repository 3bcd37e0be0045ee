"""Dagster's Dask executor, on a scheduler that already runs, with its step arguments sent whole.

dagster-dask 0.29.27 hands a run's record to `Client.submit` as a plain
argument; dask.distributed 2026.8 walks every tuple among the arguments
looking for futures, the run record is a named tuple, and a field of it
refuses iteration, so every run failed before its first step ("Iteration is
not allowed on `@record` RunOpConcurrency"). Here the arguments travel pickled
in one `bytes` value, which dask does not walk, and each step runs through
dagster-dask's own `query_on_dask_worker`; the scheduling is dagster-dask's
(one task per step, a step's task waits on its inputs' tasks).

And a step is told which outputs are ready: dagster-dask passes every step the
plan's state from before the run, in which no output exists yet, and a step
that gathers many inputs (the shards' summaries) took them all for skipped and
got an empty list. Every output of the levels before a step's is ready when
it starts: its task waits on theirs, and the steps here always yield theirs
(a failed step fails the steps after it, and the run).
"""

from __future__ import annotations

import cloudpickle
import dask.distributed
from dagster import StringSource, multiple_process_executor_requirements
from dagster._core.definitions.executor_definition import executor
from dagster._core.errors import raise_execution_interrupts
from dagster._core.execution.plan.outputs import StepOutputHandle
from dagster._core.execution.plan.state import KnownExecutionState
from dagster._utils import iterate_with_context
from dagster_dask.executor import DaskExecutor, get_dask_resource_requirements, query_on_dask_worker


def _step_on_worker(dependencies, payload: bytes):
    return query_on_dask_worker(dependencies, *cloudpickle.loads(payload))


class ClusterExecutor(DaskExecutor):
    def execute(self, plan_context, execution_plan):
        run_config, recon_job = plan_context.run_config, plan_context.reconstructable_job
        futures: dict = {}
        ready: set[StepOutputHandle] = set()
        known = execution_plan.known_state or KnownExecutionState()
        with dask.distributed.Client(self.cluster_configuration["address"]) as client:
            for level in execution_plan.get_steps_to_execute_by_level():
                state = known._replace(ready_outputs={*known.ready_outputs, *ready})
                for step in level:
                    dependencies = [futures[key] for step_input in step.step_inputs for key in step_input.dependency_keys]
                    payload = cloudpickle.dumps((recon_job, plan_context.dagster_run, run_config, [step.key],
                                                 plan_context.instance.get_ref(), state))
                    # The task's key names the run: two runs on one cluster must never share a result.
                    futures[step.key] = client.submit(
                        _step_on_worker, dependencies, payload, key=f"{plan_context.run_id}.{step.key}",
                        resources=get_dask_resource_requirements(step.tags),
                    )
                ready |= {StepOutputHandle(step.key, output.name) for step in level for output in step.step_outputs}
            done = dask.distributed.as_completed(list(futures.values()), with_results=True)
            for _future, events in iterate_with_context(raise_execution_interrupts, done):
                yield from events


@executor(name="dask", config_schema={"address": StringSource}, requirements=multiple_process_executor_requirements())
def dask_cluster_executor(init_context):
    """Each step of a run as a task on the Dask scheduler at `address` (tcp://host:8786)."""
    return ClusterExecutor("existing", {"address": init_context.executor_config["address"]})
