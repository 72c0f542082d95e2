// Argument checks shared by CpuKernels and ReferenceKernels: every failure names the argument and what was expected.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// The rules, the same for every kernel: inputs of one operation have equal lengths (exactly rows*cols for a
/// matrix); a destination may be longer than needed but never shorter; a destination either is exactly an input
/// (in-place use) or does not overlap it at all — a shifted overlap would read values already overwritten.
/// </summary>
internal static class SpanChecks
{
    /// <summary>An input that must have exactly <paramref name="expected"/> elements (the length of <paramref name="otherName"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SameLength(int actual, int expected, string name, string otherName)
    {
        if (actual != expected) ThrowLength(actual, expected, name, otherName);
    }

    /// <summary>An input that must have exactly <paramref name="expected"/> elements, for the reason given in <paramref name="why"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(int actual, int expected, string name, string why)
    {
        if (actual != expected) ThrowLengthWhy(actual, expected, name, why);
    }

    /// <summary>A destination that must hold at least <paramref name="needed"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Destination(int actual, int needed, string name)
    {
        if (actual < needed) ThrowDestination(actual, needed, name);
    }

    /// <summary>Checks rows, cols ≥ 0 and returns rows*cols (throws if it overflows int).</summary>
    public static int Shape(int rows, int cols, string rowsName = "rows", string colsName = "cols")
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(rowsName, rows, $"{rowsName} must be >= 0, got {rows}.");
        if (cols < 0) throw new ArgumentOutOfRangeException(colsName, cols, $"{colsName} must be >= 0, got {cols}.");
        long n = (long)rows * cols;
        if (n > int.MaxValue)
            throw new ArgumentOutOfRangeException(rowsName, $"{rowsName}*{colsName} = {rows}*{cols} = {n} exceeds the largest span ({int.MaxValue}).");
        return (int)n;
    }

    /// <summary>A matrix input: its span must have exactly rows*cols elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Matrix(int actual, int rows, int cols, string name, string rowsName = "rows", string colsName = "cols")
    {
        if (actual != (long)rows * cols) ThrowMatrix(actual, rows, cols, name, rowsName, colsName);
    }

    /// <summary>A matrix destination: at least rows*cols elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MatrixDestination(int actual, int rows, int cols, string name, string rowsName = "rows", string colsName = "cols")
    {
        if (actual < (long)rows * cols) ThrowMatrixDestination(actual, rows, cols, name, rowsName, colsName);
    }

    /// <summary>The destination is either exactly the input (in place) or disjoint from it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InPlaceOrDisjoint<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0) ThrowOverlap(inputName, outputName, offset);
    }

    /// <summary>The destination must not share any element with the input (gather/scatter: in-place has no meaning).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Disjoint<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output)) ThrowDisjoint(inputName, outputName);
    }

    /// <summary>Every index in [0, vocab); checked before anything is written so a bad index leaves the destination untouched.</summary>
    public static void Indices(ReadOnlySpan<int> indices, int vocab, string name = "indices")
    {
        for (int i = 0; i < indices.Length; i++)
        {
            int v = indices[i];
            if ((uint)v >= (uint)vocab)
                throw new ArgumentOutOfRangeException(name, v,
                    $"{name}[{i}] = {v} is outside [0, {vocab}): the vocabulary has {vocab} rows.");
        }
    }

    [DoesNotReturn]
    private static void ThrowLength(int actual, int expected, string name, string otherName) =>
        throw new ArgumentException($"{name} has length {actual}; expected {expected}, the length of {otherName}.", name);

    [DoesNotReturn]
    private static void ThrowLengthWhy(int actual, int expected, string name, string why) =>
        throw new ArgumentException($"{name} has length {actual}; expected {expected} ({why}).", name);

    [DoesNotReturn]
    private static void ThrowDestination(int actual, int needed, string name) =>
        throw new ArgumentException($"Destination {name} is too short: length {actual}, expected at least {needed}.", name);

    [DoesNotReturn]
    private static void ThrowMatrix(int actual, int rows, int cols, string name, string rowsName, string colsName) =>
        throw new ArgumentException(
            $"{name} has length {actual}; expected {rowsName}*{colsName} = {rows}*{cols} = {(long)rows * cols} (shape [{rows}, {cols}]).", name);

    [DoesNotReturn]
    private static void ThrowMatrixDestination(int actual, int rows, int cols, string name, string rowsName, string colsName) =>
        throw new ArgumentException(
            $"Destination {name} is too short: length {actual}, expected at least {rowsName}*{colsName} = {rows}*{cols} = {(long)rows * cols} (shape [{rows}, {cols}]).", name);

    [DoesNotReturn]
    private static void ThrowOverlap(string inputName, string outputName, int offset) =>
        throw new ArgumentException(
            $"{outputName} overlaps {inputName} shifted by {offset} elements; it must be exactly {inputName} (in place) or not overlap it.", outputName);

    [DoesNotReturn]
    private static void ThrowDisjoint(string inputName, string outputName) =>
        throw new ArgumentException($"{outputName} must not overlap {inputName}.", outputName);
}
