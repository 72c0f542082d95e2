// Argument checks shared by the generators: every failure names the parameter and its valid range.
namespace Recurrent.Tasks.Data;

internal static class Arg
{
    public static void InRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}]; got {value}");
    }

    public static void Positive(int value, string name) => InRange(value, 1, int.MaxValue, name);

    public static void NotNegative(int value, string name) => InRange(value, 0, int.MaxValue, name);

    /// <summary>A finite value in [min, max] (NaN fails).</summary>
    public static void InRange(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value in [{min}, {max}]; got {value}");
    }

    /// <summary>count examples of perExample elements each fit one tensor (at most int.MaxValue elements).</summary>
    public static void CountFits(int count, long perExample, string name)
    {
        Positive(count, name);
        long max = Math.Max(1, int.MaxValue / Math.Max(1, perExample));
        if (count > max)
            throw new ArgumentOutOfRangeException(name, count,
                $"{name} must be in [1, {max}] so that {name} × {perExample} elements fit one tensor; got {count}");
    }
}
