using BenchmarkDotNet.Running;

// BenchmarkDotNet per hot stage; folders mirror src/. Run: dotnet run -c Release --project benchmarks/DrivePerception.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
