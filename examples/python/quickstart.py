"""A whole IT task through opsgraph's Python binding, with the model played by a Python function.
Shows Engine, a Provider callable, wait() and the finished task record.

    OPSGRAPH_C_LIBRARY=build/ci/capi/libopsgraph_c.so PYTHONPATH=bindings/python \
        /usr/bin/python3 examples/python/quickstart.py
"""
import json

import opsgraph

# What a real model would answer each built-in agent (its system prompt names it).
ANSWERS = {
    "planner": {"analysis": {"category": "compute", "required_agents": ["diagnostic", "writer"],
                             "complexity": {"level": "low", "score": 0.2},
                             "reasons": [{"rule": "llm_analysis", "detail": "read-only"}],
                             "language": None, "risk_level": "low", "risk_score": 0.1,
                             "requires_approval": False},
                "plan": {"steps": ["Diagnose", "Tell people"],
                         "step_details": [
                             {"step_number": 1, "agent": "diagnostic",
                              "description": "Diagnose", "depends_on": []},
                             {"step_number": 2, "agent": "writer",
                              "description": "Tell people", "depends_on": [1]}],
                         "summary": "Find why the disk fills up and tell the team."}},
    "diagnostic": {"problem": "files01 D: is 97% full", "problem_identified": True,
                   "root_cause": "IIS logs are never rotated", "evidence": ["D:\\logs is 400 GB"],
                   "solutions": [{"title": "Rotate the logs", "description": "Keep 14 days",
                                  "steps": ["Enable IIS log rollover"], "confidence": "high",
                                  "score": 0.9}],
                   "confidence": 0.9, "affected_components": ["files01"]},
    "writer": {"email": {"subject": "files01: disk space", "body": "IIS logs fill D:."},
               "summary": "IIS logs fill files01's D: drive.",
               "report_markdown": "# files01\n\nRotate the IIS logs.", "action_items": []},
}


def chat(request: dict) -> str:
    """One model call: the answer's JSON text for whichever agent asks."""
    system = request["messages"][0]["content"]
    agent = next(a for a in ANSWERS if f"You are the opsgraph {a}" in system)
    return json.dumps(ANSWERS[agent])


with opsgraph.Engine({"store": {"kind": "memory"}}, provider=chat) as engine:
    task = engine.execute("Why is the D: drive of files01 almost full?", requester="quickstart")
    task = engine.wait(task["task_id"], "final", timeout=60)
    print(task["status"], "-", task["summary"])
    print("Subject:", task["email"]["subject"])
    assert task["status"] == "completed", task
