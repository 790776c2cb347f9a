// Rendering a run: the terminal table, Markdown, CSV and JSON.

import Foundation
import KernelKit
import Kernels
import MeasurementKit

extension RunResults {
  // MARK: - Table

  /// The report for a terminal: per kernel its ladder and the rest of the
  /// matrix, then how the steps compound, then provenance.
  package func table() -> String {
    var out = tableHeader() + "\n"
    for name in InterpretedTable(self).reportKernels {
      out += "\n" + kernelTable(name)
    }
    return out + "\n" + tableFooter()
  }

  /// What follows the kernels' tables: how the steps compound, and provenance.
  package func tableFooter() -> String {
    let interrupted =
      incomplete == true
      ? "Interrupted: only the kernels above were measured; the summary is over them alone.\n\n" : ""
    let violations = ceilingViolations.map { $0 + "\n" }.joined()
    return interrupted + (violations.isEmpty ? "" : violations + "\n") + compoundingText() + "\n\n" + provenanceText()
  }

  /// The table's first line: version, size, sampling, threads.
  package func tableHeader() -> String { header() }

  private func header() -> String {
    let samples = settings.samplingPhrase
    let backend = (settings.backend.map { " · backend \($0.rawValue)" } ?? "") + (settings.gil == true ? " · GIL" : "")
    return "SpeedLadder \(speedLadderVersion) · size \(settings.size) · \(samples) · threads \(settings.threads.map(String.init).joined(separator: ","))\(backend)"
  }

  private static let columns = "  " + "rung".padded(22) + "median".leftPadded(10) + "×prev".leftPadded(9)
    + "×first".leftPadded(9) + "threads×".leftPadded(10) + "eff".leftPadded(6) + "CV".leftPadded(7)
    + "rate".leftPadded(17) + "limit".leftPadded(7) + "  notes"

  package func kernelTable(_ name: String) -> String {
    let description = Kernels.kernel(named: name)
    let size = InterpretedTable(self).size(of: name)
    var out = "\(name) — \(description?.bottleneck ?? "") — \(description?.parameter ?? "size") = \(size)"
      + (description.map { " — \($0.ceiling.phrase)" } ?? "") + " — \(VerificationSummary(self).phrase(name))\n"
    out += Self.columns + "\n"
    let ladder = LadderView(self).rungs(for: name)
    let python = InterpretedTable(self).ladder(for: name)
    let first = InterpretedTable(self).firstRungMedian(name)
    var previous: Double?
    for cell in python {
      out += InterpretedTable(self).row(cell, previous: previous, first: first) + "\n"
      previous = cell.median ?? previous
    }
    for id in ladder where cell(id) != nil {
      out += row(id, previous: previous, first: first) + "\n"
      previous = median(id) ?? previous
    }
    let rest = cells.filter { $0.id.kernel == name && !ladder.contains($0.id) }
    if !rest.isEmpty {
      out += "  · rest of the matrix\n"
      for cell in rest { out += row(cell.id, previous: nil, first: first) + "\n" }
    }
    out += InterpretedTable(self).libraryRows(name, first: first)
    return out + InterpretedTable(self).concurrencyTable(name)
  }

  /// A Swift cell's row; `previous` and `first` are the medians its gains are over.
  private func row(_ id: CellID, previous: Double?, first: Double?) -> String {
    guard let cell = cell(id) else { return "" }
    let label = "  " + id.rung.padded(22)
    guard let stats = cell.statistics, !cell.failed, !cell.skipped else {
      return label + (cell.skipped ? "skipped" : "FAIL").leftPadded(10) + "  " + cell.verification.detail
    }
    let prev = previous.map { formatRatio($0 / stats.median) } ?? "—"
    let total = first.map { formatRatio($0 / stats.median) } ?? "—"
    let threadGain = threadSpeedup(id)
    let efficiency = threadGain.map { String(format: "%.2f", $0 / Double(id.threads)) } ?? ""
    var notes = cell.notes
    if cell.verification.status == .reference { notes.insert("✓ reference", at: 0) }
    return label + formatSeconds(stats.median).leftPadded(10) + prev.leftPadded(9) + total.leftPadded(9)
      + (threadGain.map(formatRatio) ?? "").leftPadded(10) + efficiency.leftPadded(6)
      + formatPercent(stats.cv).leftPadded(7) + (cell.rate?.formatted ?? "").leftPadded(17)
      + (cell.rate?.percentOfLimit.map(formatLimitShare) ?? "").leftPadded(7)
      + (notes.isEmpty ? "" : "  " + notes.joined(separator: "; "))
  }

  // MARK: - Compounding

  /// How the steps multiply: geometric mean over kernels, range, product;
  /// then, when the run has Python rungs, how far each rung is from CPython.
  package func compoundingText() -> String {
    [swiftCompoundingText(), PythonComparisons(self).text].filter { !$0.isEmpty }.joined(separator: "\n\n")
  }

  private func swiftCompoundingText() -> String {
    let summaries = LadderView(self).compounding.filter { !$0.gains.isEmpty }
    guard !summaries.isEmpty else {
      return "How the steps compound: not enough cells measured (each step needs both its cells)."
    }
    var out = "How the steps compound (geometric mean over the kernels that have the step; least … most)\n"
    for summary in summaries {
      let range =
        if let least = summary.least, let most = summary.most, summary.gains.count > 1 {
          "\(least.kernel) \(formatRatio(least.gain)) … \(most.kernel) \(formatRatio(most.gain))"
        } else if let only = summary.gains.first { "\(only.kernel) only" } else { "" }
      let mean = formatRatio(summary.geometricMean)
      out += "  " + summary.name.padded(14) + mean.leftPadded(8) + "   " + summary.what.padded(53) + range + "\n"
    }
    let chain = summaries.map { "\($0.name) \(formatRatio($0.geometricMean))" }.joined(separator: " · ")
    let climbs = LadderView(self).climbs
    if !climbs.isEmpty {
      let overall = formatRatio(geometricMean(climbs.map(\.gain)))
      let bottoms = Set(climbs.map(\.from.rung)).sorted().joined(separator: " or ")
      let tops = Set(climbs.map(\.to.rung)).sorted().joined(separator: " or ")
      out += "  → \(chain) → \(overall) overall from \(bottoms) to \(tops)"
      out += " (geometric mean of each kernel's climb)\n"
    }
    for summary in summaries {
      let mean = summary.geometricMean
      if mean < 0.95 {
        out += "  Finding: \(summary.name) costs time on average (\(formatRatio(mean))).\n"
      } else if mean < 1.05 {
        out += "  Finding: \(summary.name) buys nothing on average (\(formatRatio(mean))): \(summary.what).\n"
      } else if !summary.buysNothingOn.isEmpty {
        out += "  Finding: \(summary.name) buys nothing (< 1.05×) on \(summary.buysNothingOn.joined(separator: ", ")).\n"
      }
    }
    for pair in LadderView(self).swiftVersusC where pair.ratio > 1.10 || pair.ratio < 1 / 1.10 {
      let (slower, faster) = pair.ratio > 1 ? ("Swift", "C") : ("C", "Swift")
      let gap = formatRatio(pair.ratio > 1 ? pair.ratio : 1 / pair.ratio)
      out += "  Finding: on \(pair.kernel), \(slower) is \(gap) behind \(faster) (\(pair.swift.rung) vs \(pair.c.rung)).\n"
    }
    return String(out.dropLast())
  }

  // MARK: - Provenance

  package func provenanceText() -> String {
    var out = "Provenance\n"
    out += "  machine  \(provenance.cpu), \(provenance.cores) cores, \(provenance.memoryGiB) GiB\n"
    out += "  os       \(provenance.os)\n"
    out += "  swift    \(provenance.swiftVersion)\n"
    if let features = provenance.cpuVectorFeatures {
      out += "  vectors  the CPU has \(features.joined(separator: " "))\n"
    }
    for build in provenance.builds {
      let optimised = build.cOptimized ? "__OPTIMIZE__ defined" : "__OPTIMIZE__ not defined"
      let isa = build.cTargetFeatures.map { "; C compiled for \($0.isEmpty ? "no vector ISA" : $0)" } ?? ""
      let took = build.buildSeconds.map { "; built in \(formatSeconds($0))" } ?? ""
      out += "  \(build.build.rawValue.padded(8)) Swift \(build.swiftFlags); C \(build.cFlags) (\(optimised))\(isa)\(took); \(build.cCompiler)\n"
      if let limits = build.limits {
        for line in limits.describedLines { out += "           \(line)\n" }
      }
    }
    let revision = provenance.gitCommit.map { $0 + (provenance.gitDirty == true ? " (dirty tree)" : "") }
    out += "  commit   \(revision ?? "unknown (not a git checkout)")\n"
    out += "  date     \(provenance.date)"
    return out
  }

  // MARK: - Markdown

  package func markdown() -> String {
    var out = "# SpeedLadder results\n\n\(header())\n"
    for name in InterpretedTable(self).reportKernels {
      let size = InterpretedTable(self).size(of: name)
      out += "\n## \(name) (size \(size))\n\n"
      out += "| cell | median | × previous rung | × first rung | threads × | efficiency | CV | rate | % of limit | verification |\n"
      out += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
      let ladder = LadderView(self).rungs(for: name)
      let first = InterpretedTable(self).firstRungMedian(name)
      var previous: Double?
      for cell in InterpretedTable(self).ladder(for: name) {
        out += InterpretedTable(self).markdownRow(cell, previous: previous, first: first)
        previous = cell.median ?? previous
      }
      // The tuned library, first: beside the ladder, "× previous" over the best Swift cell.
      for var cell in InterpretedTable(self).libraryCells(for: name) {
        cell.notes.insert("the tuned library" + (libraryRate(cell).map { ": " + $0.formatted } ?? ""), at: 0)
        out += InterpretedTable(self).markdownRow(cell, previous: InterpretedTable(self).bestSwiftMedian(name, threads: cell.id.workers)?.1, first: first)
      }
      let ordered = ladder.compactMap { cell($0) } + cells.filter { $0.id.kernel == name && !ladder.contains($0.id) }
      for cell in ordered {
        let id = cell.id
        let onLadder = ladder.contains(id)
        let rung = onLadder ? "**\(id.rung)**" : id.rung
        guard let stats = cell.statistics, !cell.failed, !cell.skipped else {
          out += "| \(rung) | \(cell.skipped ? "skipped" : "FAIL") | | | | | | | | \(cell.verification.detail) |\n"
          continue
        }
        let gain = threadSpeedup(id)
        // × previous rung only along the ladder, as in the table.
        let prev = onLadder ? previous.map { formatRatio($0 / stats.median) } ?? "—" : ""
        if onLadder { previous = stats.median }
        out += "| \(rung) | \(formatSeconds(stats.median)) | \(prev) | \(first.map { formatRatio($0 / stats.median) } ?? "—") "
          + "| \(gain.map(formatRatio) ?? "") | \(gain.map { String(format: "%.2f", $0 / Double(id.threads)) } ?? "") "
          + "| \(formatPercent(stats.cv)) | \(cell.rate?.formatted ?? "") "
          + "| \(cell.rate?.percentOfLimit.map(formatLimitShare) ?? "") | \(cell.verification.status.rawValue) |\n"
      }
      out += InterpretedTable(self).concurrencyMarkdown(name)
    }
    if cells.contains(where: { $0.instructions != nil }) {
      out += "\n## Instruction counts (valgrind callgrind, timed region only)\n\n\(countedMarkdown())"
    }
    out += "\n## How the steps compound\n\n```\n\(compoundingText())\n```\n\n## Provenance\n\n```\n\(provenanceText())\n```\n"
    return out
  }

  // MARK: - CSV

  package func csv() -> String {
    var out = "kernel,size,build,flavour,threads,status,median_s,min_s,mad_s,cv,samples,runs_per_sample,thread_speedup,setup_s,result,checksum,detail,rate,rate_unit,percent_of_limit,instructions,instructions_spread\n"
    for cell in cells {
      let s = cell.statistics
      let fields: [String] = [
        cell.id.kernel, String(cell.size), cell.id.build.rawValue, cell.id.flavour.rawValue,
        String(cell.id.threads), cell.skipped ? "skipped" : cell.failed ? "fail" : "ok",
        s.map { String($0.median) } ?? "", s.map { String($0.min) } ?? "", s.map { String($0.mad) } ?? "",
        s.map { String($0.cv) } ?? "", String(cell.samples.count), String(cell.runsPerSample),
        threadSpeedup(cell.id).map { String($0) } ?? "", String(cell.setupSeconds),
        cell.result?.text ?? "", cell.result?.checksum.hex16 ?? "", cell.verification.detail,
        cell.rate.map { String($0.value) } ?? "", cell.rate?.unit ?? "",
        cell.rate?.percentOfLimit.map { String($0) } ?? "",
        cell.medianInstructions.map { String(format: "%.0f", $0) } ?? "", cell.instructionSpread.map { String($0) } ?? "",
      ]
      out += fields.map(csvField).joined(separator: ",") + "\n"
    }
    for cell in interpreted ?? [] {
      out += (InterpretedTable(self).csvFields(cell) + ["", "", "", "", ""]).map(csvField).joined(separator: ",") + "\n"
    }
    return out
  }

  private func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  // MARK: - JSON

  package func rendered(_ format: OutputFormat) throws -> Data {
    switch format {
    case .table: Data((table() + "\n").utf8)
    case .json: try json() + Data("\n".utf8)
    case .csv: Data(csv().utf8)
    case .markdown: Data(markdown().utf8)
    }
  }
}


// MARK: - Instruction counts

extension RunResults {
  /// One line per counted cell: instructions per run of its timed region
  /// (median of the counted samples) and their spread, max − min over the median.
  package func countedTable() -> String {
    let cycles = cells.contains { $0.estimatedCycles != nil }
    var out = "  " + "kernel".padded(16) + "cell".padded(24) + "instructions per run".padded(24) + "spread".padded(12)
      + (cycles ? "estimated cycles per run".padded(26) : "") + "samples  notes\n"
    for cell in cells where cell.instructions != nil || cell.failed {
      let count = cell.medianInstructions.map(formatCount) ?? "FAIL"
      let spread = cell.instructionSpread.map(formatSpread) ?? ""
      let estimate = cell.estimatedCycles.map { "≈ " + formatCount(SampleStatistics.median($0)) } ?? ""
      let notes = cell.failed ? cell.verification.detail : cell.notes.joined(separator: "; ")
      out += "  " + cell.id.kernel.padded(16) + cell.id.rung.padded(24) + count.padded(24) + spread.padded(12)
        + (cycles ? estimate.padded(26) : "") + String(cell.instructions?.count ?? 0).padded(9) + notes + "\n"
    }
    if cycles {
      out += "\nEstimated cycles are a model from callgrind's cache simulation (L1 hit 1, last-level hit 5, memory 35), not a measurement.\n"
    }
    return out
  }

  /// The counted cells as a Markdown table.
  func countedMarkdown() -> String {
    var out = "| kernel | cell | instructions per run | spread | samples |\n|---|---|---:|---:|---:|\n"
    for cell in cells where cell.instructions != nil {
      out += "| \(cell.id.kernel) | \(cell.id.rung) | \(cell.medianInstructions.map(formatCount) ?? "FAIL") "
        + "| \(cell.instructionSpread.map(formatSpread) ?? "") | \(cell.instructions?.count ?? 0) |\n"
    }
    return out
  }
}
