// `fuzz-parsers`: the parsers of outside input under libFuzzer, or the replay of
// files through them. SPEEDLADDER_FUZZ names the target (FuzzTargets). See bench/FUZZING.md.
//
// Built normally it replays: `fuzz-parsers TARGET FILE…` prints each file's
// verdict and exits 1 if any broke a promise. Built with
// `-Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING` it is a libFuzzer binary.
// SwiftPM links an executable with its entry point renamed to
// `<module>_main`, to which it points `main`; libFuzzer brings a `main` of its
// own, which then never runs, so the fuzzing build defines `fuzz_parsers_main`
// itself and hands the command line to libFuzzer's driver.

import CFuzzing
import Foundation
import FuzzTargets

/// The target this process fuzzes, from SPEEDLADDER_FUZZ (read once).
let fuzzedTarget: ParserTarget = {
  let name = ProcessInfo.processInfo.environment["SPEEDLADDER_FUZZ"] ?? ""
  guard let target = ParserTarget(rawValue: name) else {
    let valid = ParserTarget.allCases.map(\.rawValue).joined(separator: ", ")
    fatalError("set SPEEDLADDER_FUZZ to one of: \(valid) (got '\(name)')")
  }
  return target
}()

/// libFuzzer's callback: a broken promise traps, so libFuzzer saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
  if case .broken(let why) = fuzzedTarget.feed(data) { fatalError("\(fuzzedTarget.rawValue): \(why)") }
  return 0
}

#if FUZZING
  @_cdecl("fuzz_parsers_main")
  public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = fuzzedTarget
    var (count, arguments) = (argc, argv)
    return LLVMFuzzerRunDriver(&count, &arguments) { fuzzOneInput($0, $1) }
  }
#else
  @main
  enum Replay {
    static func main() {
      let arguments = CommandLine.arguments.dropFirst()
      guard let name = arguments.first, let target = ParserTarget(rawValue: name), arguments.count > 1 else {
        let valid = ParserTarget.allCases.map(\.rawValue).joined(separator: "|")
        FileHandle.standardError.write(Data("usage: fuzz-parsers \(valid) FILE…\n".utf8))
        exit(2)
      }
      var broken = 0
      for path in arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          FileHandle.standardError.write(Data("\(path): cannot read\n".utf8))
          exit(2)
        }
        switch target.feed(data) {
        case .accepted: print("\(path): accepted")
        case .rejected(let message): print("\(path): rejected: \(message)")
        case .broken(let why):
          print("\(path): BROKEN: \(why)")
          broken += 1
        }
      }
      exit(broken == 0 ? 0 : 1)
    }
  }
#endif
