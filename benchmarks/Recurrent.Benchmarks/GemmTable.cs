// Stopwatch table of our SGEMM at the sizes benchmarks/pytorch/gemm.py times.
namespace Recurrent.Benchmarks;

public static class GemmTable
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("gemm-table: not written yet");
        return 1;
    }
}
