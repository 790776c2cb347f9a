import Kernels
#if canImport(Glibc)
  @_exported import Glibc
#endif
public enum BenchmarkCommand {
  public static func main(_ args: [String]) -> Int32 { print(catalogue.map(\.name)); return 0 }
}
