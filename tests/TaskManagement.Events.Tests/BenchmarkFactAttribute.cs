namespace TaskManagement.Events.Tests;

/// <summary>Runs only with TASKMGMT_BENCHMARK=1 (see docs/benchmarks.md): too slow and noisy for the default run.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TASKMGMT_BENCHMARK") != "1")
        {
            Skip = "Benchmark: set TASKMGMT_BENCHMARK=1 to run.";
        }
    }
}
