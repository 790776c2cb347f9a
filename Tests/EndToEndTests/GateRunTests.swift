// `benchmark gate` and the slowdown injector through the built binary:
// baselines refused, the gate's outputs and exit statuses.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import MeasurementKit
@testable import Reports

@Suite("Gates: the binary")
struct GateRunTests {
  @Test func baselineFromAnotherCPUIsRefusedAndNothingIsWritten() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (gates, baseline) = try Fixtures.Gate.baselineFixture(folder, cpu: "Imaginary CPU 9000")
    let summary = folder.appendingPathComponent("summary.md").path
    let outcome = try runBenchmark(["gate", "--gates", gates, "--baseline", baseline, "--summary", summary])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(outcome.standardError.contains("CPU model differs (baseline 'Imaginary CPU 9000'"))
    #expect(outcome.standardError.contains("--force"))
    #expect(outcome.standardOutput.isEmpty)
    #expect(Set(contents(of: folder)) == ["gates.json", "baseline.json"])
  }

  @Test(arguments: [
    ("", "the baseline file is empty"), ("{ not json }", "baseline.json: not valid JSON"),
    (#"{ "schema": "speedladder.results", "cells": [ {"#, "baseline.json: not valid JSON (truncated?)"),
    (#"{ "schema": "speedladder.results" }"#, "not a SpeedLadder results file: missing"),
  ])
  func badBaselineFileExitsTwo(text: String, message: String) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (gates, baseline) = try Fixtures.Gate.baselineFixture(folder, cpu: "x")
    try Data(text.utf8).write(to: URL(fileURLWithPath: baseline))
    let outcome = try runBenchmark(["gate", "--gates", gates, "--baseline", baseline])
    #expect(outcome.status == 2)
    #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
    #expect(outcome.standardError.split(separator: "\n").count == 1)
  }

  @Test func slowedCellSaysSoInTableAndJSON() throws {
    let outcome = try runBenchmark(
      EndToEndTests.smoke + ["--kernels", "mandelbrot", "--flavours", "unsafe", "--threads", "1", "--format", "json",
        "--inject-slowdown", "mandelbrot/unsafe=1.5"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let results = try RunResults.decode(Data(outcome.standardOutput.utf8))
    #expect(results.cells.map(\.slowdown) == [1.5])
    #expect(results.cells[0].notes.first?.contains("slowed 1.50× by --inject-slowdown") == true)
    #expect(results.cells[0].runsPerSample % 2 == 0)  // whole periods per sample
    #expect(TextTable(results).text.contains("slowed 1.50× by --inject-slowdown"))
    // An honest run carries no slowdown field at all.
    #expect(!String(decoding: try Fixtures.Results.sample([Fixtures.Results.cell(.c, .release, median: 1)]).json(), as: UTF8.self)
      .contains("slowdown"))
  }

  /// Thresholds no machine can miss or meet: the verdicts are certain, not timed.
  static let certainGates = #"""
    { "size": "tiny", "minTimeMilliseconds": 2, "samples": 3, "remeasure": 1, "gates": [
      { "name": "holds", "kernels": ["mandelbrot"], "ratio": "BUILD·unsafe·1 / BUILD·c·1", "atMost": 1000 },
      { "name": "breaks", "kernels": ["mandelbrot"], "ratio": "BUILD·unsafe·1 / BUILD·c·1", "atMost": 0.001 },
      { "name": "cores", "kernels": ["mandelbrot"], "ratio": "BUILD·c·1 / BUILD·c·all", "atLeast": 0.0001 }
    ] }
    """#.replacingOccurrences(of: "BUILD", with: Build.current.rawValue)

  @Test func gateRunWritesSummaryAndBenchmarkJSONAndExitsOneOnFailure() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let gates = folder.appendingPathComponent("gates.json").path
    try Data(Self.certainGates.utf8).write(to: URL(fileURLWithPath: gates))
    let summary = folder.appendingPathComponent("summary.md").path
    let json = folder.appendingPathComponent("bench.json").path
    let outcome = try runBenchmark(["gate", "--gates", gates, "--summary", summary, "--json", json])
    #expect(outcome.status == 1, "\(outcome.standardError)")
    let text = outcome.standardOutput
    #expect(text.contains("pass          holds · mandelbrot"))
    #expect(text.contains("FAIL          breaks · mandelbrot"))
    #expect(text.contains("Failing:\n  breaks · mandelbrot: \(Build.current.rawValue)·unsafe·1 / \(Build.current.rawValue)·c·1 (median of paired rounds, 95% interval) = "))
    #expect(text.contains("threshold ≤ 0.00"))
    if activeCores() == 1 {
      #expect(text.contains("skipped") && text.contains("needs ≥ 2 cores"))
    }

    let markdown = try String(contentsOfFile: summary, encoding: .utf8)
    #expect(markdown.hasPrefix("## SpeedLadder gate: ❌ 1 gate failed"))
    #expect(markdown.contains("| verdict | gate | kernel | ratio | band | threshold | measured as |"))
    // Failing gates come first in the table.
    let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| verdict") && !$0.hasPrefix("| cell") }
    #expect(rows.first?.hasPrefix("| ❌ **fail** | breaks | mandelbrot |") == true)

    let entries = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
    #expect(!entries.isEmpty)
    for entry in entries {
      #expect(Set(entry.keys) == ["name", "unit", "value", "range", "extra"])
      #expect(entry["name"] is String && entry["unit"] is String && entry["range"] is String && entry["extra"] is String)
      #expect((entry["value"] as? Double).map { $0 > 0 } == true)
    }
    #expect(entries.contains { ($0["name"] as? String) == "gate breaks · mandelbrot" && ($0["unit"] as? String) == "× of limit" })
    #expect(entries.contains { ($0["name"] as? String) == "mandelbrot \(Build.current.rawValue)·c·1" && ($0["unit"] as? String) == "ms" })
    #expect(Set(contents(of: folder)) == ["gates.json", "summary.md", "bench.json"])
  }

  @Test func gateComparesWithASavedBaseline() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let baseline = folder.appendingPathComponent("saved.json").path
    let saved = try runBenchmark(
      ["--size", "tiny", "--min-time", "2", "--builds", Build.current.rawValue, "--kernels", "mandelbrot",
       "--flavours", "c", "--threads", "1", "--samples", "3", "--save-baseline", baseline])
    #expect(saved.status == 0, "\(saved.standardError)")
    #expect(contents(of: folder) == ["saved.json"])  // written atomically: no temporary left
    let (gates, _) = try Fixtures.Gate.baselineFixture(folder, cpu: "unused")
    let outcome = try runBenchmark(["gate", "--gates", gates, "--baseline", baseline])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("pass          b · mandelbrot"))
    #expect(outcome.standardOutput.contains("now / baseline") == false)  // a pass is one line
  }
}
