// Golden outputs of xoshiro256**/SplitMix64, made by tests/reference/xoshiro_golden.py from the published algorithm.
namespace Recurrent.Tests.Tensors;

internal static class RngGolden
{
    public static readonly ulong[] Seed42 = [1546998764402558742UL, 6990951692964543102UL, 12544586762248559009UL];
}
