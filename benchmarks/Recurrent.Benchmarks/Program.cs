// Entry point of the benchmark suite: BenchmarkDotNet for everything, plus quick stopwatch tables by name.
using BenchmarkDotNet.Running;
using Recurrent.Benchmarks;

// `gemm-table` prints our GEMM beside the sizes PyTorch's script times (fast, no BenchmarkDotNet job).
if (args.Length > 0 && args[0] == "gemm-table") return GemmTable.Run(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(GemmTable).Assembly).Run(args);
return 0;
