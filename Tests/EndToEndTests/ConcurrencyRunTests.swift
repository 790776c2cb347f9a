// The concurrency lesson table, measured with the built `benchmark` as its worker processes.

import Foundation
import KernelKit
import TestSupport
import Testing
@testable import Lessons
@testable import MeasurementKit
@testable import ProcessKit

@Suite("Concurrency: the lesson table")
struct ConcurrencyRunTests {
  /// Every configuration runs, computes the serial answer, and fills its row
  /// (in this debug test build; the command itself measures in release).
  @Test func theLessonTableIsMeasuredAndVerified() throws {
    var options = ConcurrencyOptions()
    options.size = "tiny"
    options.samples = 1
    options.minTimeMilliseconds = 1
    options.ioThreads = 4
    var measurements = Measurements(options: options, progress: ProgressLine())
    measurements.binary = benchmarkBinary
    let lessons = try measurements.lessons()
    #expect(lessons.allVerified, "\(lessons.timings.values.filter { !$0.verified }.map(\.label))")
    #expect(lessons.rows.count == 6)
    for row in lessons.rows {
      #expect(row.measured.hasSuffix("×"), "\(row.lesson): \(row.measured)")
      #expect(!row.verdict.hasPrefix("not measured"), "\(row.lesson)")
    }
    #expect(lessons.timings["cpu.processes"]?.startup != nil)
    #expect(lessons.available.count == 2 && lessons.available.allSatisfy { $0 > 0 })
    #expect(lessons.text.contains("cores this run got"))
    #expect(lessons.text.contains("Python concurrency with multiprocessing"))
    #expect(!lessons.text.contains("FAIL"))
  }
}
