// The sample task record: a high-CPU diagnosis that ends in a PowerShell collection script.

#include "task_record.hpp"

namespace bench {
namespace {

opsgraph::TimePoint at_ms(std::int64_t ms) {
  return opsgraph::TimePoint{std::chrono::milliseconds{ms}};
}

Route sample_route() {
  Route route;
  route.category = "compute";
  route.required_agents = {"diagnostic", "automation", "writer"};
  route.risk = Risk{"medium", 0.45, {"production server", "script requires elevation"}};
  route.complexity = Complexity{"medium", 0.4};
  route.requires_approval = true;
  return route;
}

Plan sample_plan() {
  Plan plan;
  plan.steps = {"Diagnose CPU usage on APP01", "Generate perfmon collection script",
                "Draft email to the application team"};
  plan.step_details = {
      {1, "diagnostic", "Correlate the CPU spike with the patch window and running services", {}},
      {2, "automation", "Write a PowerShell script that samples counters for ten minutes", {1}},
      {3, "writer", "Summarise findings and next steps for the application owners", {1, 2}},
  };
  plan.summary = "Find why APP01 runs at 100% CPU since the patch and collect diagnostics.";
  plan.hash = "sha256:4f9c2b1e8d7a6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c";
  return plan;
}

Diagnosis sample_diagnosis() {
  Diagnosis diagnosis;
  diagnosis.problem = "Sustained 100% CPU on APP01 after the November cumulative update";
  diagnosis.problem_identified = true;
  diagnosis.root_cause =
      "The update re-enabled real-time scanning of the application's cache directory, so every "
      "cache write triggers a scan by MsMpEng.exe.";
  diagnosis.evidence = {"MsMpEng.exe averages 85% CPU in the last 24 hours",
                        "CPU rose within 10 minutes of the patch reboot at 02:14",
                        "Exclusion list for D:\\AppCache\\ is empty after the update"};
  diagnosis.solutions = {
      {"Restore the Defender exclusion",
       "Re-add D:\\AppCache\\ to the real-time scanning exclusions through the GPO.",
       {"Update the GPO", "Run gpupdate /force", "Watch CPU for 30 minutes"},
       Confidence::high,
       0.86},
      {"Roll back the update",
       "Uninstall KB5032190 if the exclusion does not help; schedule a maintenance window.",
       {"Open a change", "wusa /uninstall /kb:5032190", "Reboot"},
       Confidence::medium,
       0.41},
  };
  diagnosis.confidence = 0.82;
  diagnosis.affected_components = {"APP01", "Windows Defender", "AppCache service"};
  return diagnosis;
}

Script sample_script() {
  Script script;
  script.language = "powershell";
  script.code =
      "$ErrorActionPreference = 'Stop'\n"
      "$out = Join-Path $env:TEMP \"app01-cpu-$(Get-Date -Format yyyyMMdd-HHmm)\"\n"
      "New-Item -ItemType Directory -Path $out | Out-Null\n"
      "$counters = @('\\Processor(_Total)\\% Processor Time',\n"
      "              '\\Process(MsMpEng)\\% Processor Time',\n"
      "              '\\Process(AppCache)\\% Processor Time')\n"
      "Get-Counter -Counter $counters -SampleInterval 5 -MaxSamples 120 |\n"
      "  Export-Counter -Path (Join-Path $out 'cpu.blg') -FileFormat BLG\n"
      "Get-MpPreference | Select-Object ExclusionPath | Export-Csv (Join-Path $out 'mp.csv')\n"
      "Compress-Archive -Path $out -DestinationPath \"$out.zip\"\n"
      "Write-Output \"Diagnostics written to $out.zip\"\n";
  script.rollback_code = std::nullopt;
  script.lint_passed = true;
  script.syntax = SyntaxReport{true, "structural"};
  script.findings = {{"PS-ELEVATION", "info", 1, "Reading Defender preferences needs admin."}};
  script.verification_steps = {"Check that the zip exists", "Open cpu.blg in Performance Monitor"};
  script.requires_elevation = true;
  script.hash = "sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
  return script;
}

}  // namespace

TaskRecord sample_record() {
  TaskRecord record;
  record.task_id = "0193a8f2-5c1e-7d4b-9a3f-2e6c8b1d0f47";
  record.status = Status::completed;
  record.stage = "done";
  record.version = 12;
  record.request =
      "APP01 has been at 100% CPU since the patch, find out why and give me a PowerShell script "
      "to collect diagnostics";
  record.created_at = at_ms(1'795'687'200'000);
  record.updated_at = at_ms(1'795'687'204'120);
  record.route = sample_route();
  record.plan = sample_plan();
  record.diagnosis = sample_diagnosis();
  record.script = sample_script();
  record.approvals = {{"plan_review", "alice@example.com", at_ms(1'795'687'201'500), "approved",
                       record.plan.hash, "ok to collect"},
                      {"script_review", "bob@example.com", at_ms(1'795'687'203'000), "approved",
                       record.script.hash, std::nullopt}};
  record.email_draft =
      "Subject: APP01 CPU after patching\n\nHello team,\n\nAPP01 has run at full CPU since the "
      "November update: Defender scans the application cache again.\n\nRegards,\nOps";
  record.usage = Usage{4, 2100, 900, 3.9};
  record.duration_seconds = 4.12;
  return record;
}

}  // namespace bench
