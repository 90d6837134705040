#!/usr/bin/env python3
"""Explain why pods are Pending in a cluster (reads events), no changes."""
import sys

from kubernetes import client, config

context = sys.argv[1] if len(sys.argv) > 1 else "aks-prod-weu"
config.load_kube_config(context=context)
v1 = client.CoreV1Api()

pending = v1.list_pod_for_all_namespaces(field_selector="status.phase=Pending").items
print(f"{len(pending)} pending pods in {context}")
for pod in pending:
    ns, name = pod.metadata.namespace, pod.metadata.name
    events = v1.list_namespaced_event(ns, field_selector=f"involvedObject.name={name}").items
    reasons = sorted({f"{e.reason}: {e.message}" for e in events if e.type == "Warning"})
    print(f"- {ns}/{name}")
    for r in reasons[-3:]:
        print(f"    {r}")

for node in v1.list_node().items:
    alloc = node.status.allocatable
    print(f"{node.metadata.name}: cpu={alloc['cpu']} mem={alloc['memory']} pods={alloc['pods']}")
