// `benchmark report` through the built binary: every file written and no
// temporaries, measuring first without --from, bad --out and --from.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import CLI
@testable import MeasurementKit
@testable import Reports

@Suite("Report: the binary")
struct ReportRunTests {
  @Test func reportFromAFileWritesEveryFileAndNoTemporaries() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let json = folder.appendingPathComponent("results.json")
    try Fixtures.Report.full().json().write(to: json)
    let out = folder.appendingPathComponent("new/report")
    let outcome = try runBenchmark(["report", "--from", json.path, "--out", out.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let names = Set(contents(of: out))
    #expect(names == Set(ReportPage(Fixtures.Report.full()).files.map(\.name)))
    #expect(names.contains("ladder-nbody.svg"))
    #expect(!names.contains { $0.hasPrefix(".") })
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(html == ReportPage(Fixtures.Report.full()).files.last!.contents)
  }

  /// Without `--from`: a tiny real run (debug build only, so no child build), then the report.
  @Test func reportMeasuresFirstWithoutFrom() throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("report")
    let outcome = try runBenchmark([
      "report", "--out", out.path, "--kernels", "mandelbrot", "--builds", "debug", "--threads", "1,2",
      "--size", "tiny", "--samples", "1", "--min-time", "1",
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("debug·idiomatic·1"))
    #expect(outcome.standardError.contains("missing: The release build was not measured"))
    let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(try XMLDocumentSummary(html).root == "html")
    #expect(html.contains("The release build was not measured"))
    let ladder = try XMLDocumentSummary(String(contentsOf: out.appendingPathComponent("ladder-mandelbrot.svg"), encoding: .utf8))
    #expect(ladder.elements(class: "bar").count == 1)
    #expect(Set(contents(of: out)).isSuperset(of: ["index.html", "report.md", "ladder.svg", "heatmap.svg", "scaling.svg", "cpu-time.svg"]))
  }

  /// Bad `--out` or `--from`: exit 2, one line on standard error, nothing written.
  @Test(arguments: ["out-is-file", "out-under-file", "from-missing", "from-not-json", "from-truncated", "from-other-schema", "from-newer", "no-out", "from-and-kernels"])
  func badOutOrFromExitsTwoAndWritesNothing(which: String) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = folder.appendingPathComponent("good.json")
    try Fixtures.Report.full().json().write(to: good)
    let file = folder.appendingPathComponent("file.txt")
    try Data("not a folder".utf8).write(to: file)
    let out = folder.appendingPathComponent("out").path
    func from(_ text: String) throws -> String {
      let url = folder.appendingPathComponent("bad.json")
      try Data(text.utf8).write(to: url)
      return url.path
    }
    let (arguments, message): ([String], String) =
      switch which {
      case "out-is-file": (["--from", good.path, "--out", file.path], "is a file; give a folder")
      case "out-under-file": (["--from", good.path, "--out", file.path + "/x"], "cannot create")
      case "from-missing": (["--from", folder.appendingPathComponent("none.json").path, "--out", out], "no such file")
      case "from-not-json": (["--from", try from("{ nope }"), "--out", out], "is not valid JSON")
      case "from-truncated":
        (["--from", try from(#"{"schema": "speedladder.results", "schemaVersion": 1, "cells": [{"#), "--out", out],
         "is not valid JSON (truncated?)")
      case "from-other-schema":
        (["--from", try from(#"{"schema": "other", "schemaVersion": 1}"#), "--out", out], "is not a SpeedLadder results file")
      case "from-newer":
        (["--from", try from(#"{"schema": "speedladder.results", "schemaVersion": 99}"#), "--out", out], "schema version 99")
      case "no-out": (["--from", good.path], "needs --out")
      default: (["--from", good.path, "--out", out, "--kernels", "nbody"], "--kernels measures")
      }
    let before = Set(contents(of: folder))
    let outcome = try runBenchmark(["report"] + arguments)
    #expect(outcome.status == 2)
    #expect(outcome.standardOutput.isEmpty)
    #expect(outcome.standardError.hasPrefix("error: "))
    #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
    #expect(outcome.standardError.split(separator: "\n").count == 1)
    #expect(Set(contents(of: folder)) == before)
  }
}
