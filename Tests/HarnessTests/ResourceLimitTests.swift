// Resource limits: too few file descriptors is one line naming the cause
// (or the soft limit is raised), never a trap or a failure per cell; a probe
// that could not start is "unknown", not a false fact; a worker that dies
// outside any cell is reported with what it said.

import Foundation
import KernelKit
import Testing
@testable import MeasurementKit
@testable import Orchestration
@testable import ProcessKit

@Suite("Resource limits")
struct ResourceLimitTests {
  @Test func aProbeThatCannotStartIsNotAFalseFact() {
    if case .notStarted = probe("/nonexistent/speedladder-probe", []) {} else { Issue.record("started") }
    #expect(probe("sh", ["-c", "exit 3"]) == .failed(3))
    #expect(probe("sh", ["-c", "echo ' yes '"]) == .answered("yes"))
    #expect(commandOutput("sh", ["-c", "exit 1"]) == nil)
  }

  @Test func aWorkerThatCannotStartIsReportedInWords() {
    let memory = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOMEM))
    #expect(describeStartFailure(memory) == "Cannot allocate memory (errno \(ENOMEM))")
    #expect(describeStartFailure(UsageError("too few file descriptors: …")) == "too few file descriptors: …")
  }

  @Test func aWorkerThatDiesOutsideACellIsReportedWithWhatItSaid() {
    let said = "[release] measuring the machine's limits…\nFatal error: cannot allocate 536870912 bytes\nCurrent stack trace:\n"
    #expect(Orchestrator.lastWords(said) == "Fatal error: cannot allocate 536870912 bytes")
    #expect(Orchestrator.lastWords("first\r\u{1B}[Ksecond\n") == "second")
    #expect(Orchestrator.lastWords("\n \n") == nil)
  }
}
