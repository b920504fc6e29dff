using BenchmarkDotNet.Running;
using ComputeEconomics.Benchmarks;

if (args.Length > 0 && args[0] == "ptx") return PtxDump.Run(args);
if (args.Length > 0 && args[0] == "transfer-bytes") return TransferBytes.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
