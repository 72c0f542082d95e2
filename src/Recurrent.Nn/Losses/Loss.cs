// The base of the loss modules: Forward(input, target, mask) → a one-element loss tensor, Backward() → d(input).
using System.Numerics;
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Nn;

/// <summary>
/// A loss over predictions [..., C] read as rows of C: target as the subclass says, and an optional float mask with
/// one weight per row (input.Shape[..^1]; [B, T] for [B, T, F] predictions), so only chosen time steps are scored.
/// Forward keeps its arguments (not copies) for Backward: don't overwrite them in between.
/// Loss modules hold no parameters and no device of their own; they run on the input's device.
/// </summary>
public abstract class Loss
{
    private Tensor? _input, _target, _mask;
    private Tensor? _loss, _dInput; // reused while dtype, device and shape stay the same: a training step allocates nothing

    protected Loss(Reduction reduction)
    {
        if (!Enum.IsDefined(reduction)) throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "reduction must be Mean or Sum");
        Reduction = reduction;
    }

    public Reduction Reduction { get; }

    /// <summary>The loss as a rank-0 tensor on the input's device (read it with Item()); the module's buffer, overwritten by the next Forward.</summary>
    public Tensor Forward(Tensor input, Tensor target, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.DType.IsFloatingPoint())
            throw new ArgumentException($"input must be float32 or float64; got {input.DType.Name()}", nameof(input));
        if (input.Rank < 1)
            throw new ArgumentException("input must be [..., C] (rank ≥ 1); got a rank-0 tensor", nameof(input));
        CheckTarget(input, target);
        if (mask is not null)
        {
            if (!input.Device.SharesMemoryWith(mask.Device) || mask.DType != input.DType || !mask.Shape.SequenceEqual(input.Shape[..^1]))
                throw new ArgumentException($"mask must be {input.DType.Name()} {Tensor.ShapeString(input.Shape[..^1])} on {input.Device.Name} " +
                    $"(one weight per row of input {input.ShapeText}); got {mask.DType.Name()} {mask.ShapeText} on {mask.Device.Name}", nameof(mask));
        }
        Tensor loss = Tensor.Reuse(ref _loss, ReadOnlySpan<int>.Empty, input.DType, input.Device);
        ForwardCore(input, target, mask, loss);
        (_input, _target, _mask) = (input, target, mask);
        return loss;
    }

    /// <summary>d(loss)/d(input), times <paramref name="gradOutput"/> (a one-element tensor; 1 when null); the module's buffer, overwritten by the next Backward.</summary>
    public Tensor Backward(Tensor? gradOutput = null)
    {
        if (_input is null || _target is null) throw new InvalidOperationException("Backward needs a Forward first");
        Tensor dInput = Tensor.Reuse(ref _dInput, _input.Shape, _input.DType, _input.Device);
        BackwardCore(_input, _target, _mask, gradOutput, dInput);
        return dInput;
    }

    /// <summary>Throws <see cref="ArgumentException"/> (naming "target") unless target fits input.</summary>
    protected abstract void CheckTarget(Tensor input, Tensor target);

    protected abstract void ForwardCore(Tensor input, Tensor target, Tensor? mask, Tensor loss);
    protected abstract void BackwardCore(Tensor input, Tensor target, Tensor? mask, Tensor? gradOutput, Tensor dInput);

    /// <summary>The same shape, dtype and device as input.</summary>
    protected static void CheckLikeInput(Tensor input, Tensor target)
    {
        if (!input.Device.SharesMemoryWith(target.Device) || target.DType != input.DType || !target.SameShape(input))
            throw new ArgumentException($"target must be {input.DType.Name()} {input.ShapeText} on {input.Device.Name} like input; " +
                $"got {target.DType.Name()} {target.ShapeText} on {target.Device.Name}", nameof(target));
    }

    /// <summary>
    /// True when the host can scan <paramref name="t"/> without copying it back: a CPU tensor. Another device's loss
    /// kernels check the same things themselves and report them at the next host read, so a training step does not
    /// wait for the queue just to validate its targets.
    /// </summary>
    protected static bool HostCanCheck(Tensor t) => t.Device is CpuDevice;

    /// <summary>Every element of a float tensor in [0, 1] (NaN fails unless allowed); the message names the first offender's position.</summary>
    protected static void CheckProbabilities(Tensor t, string argument, bool allowNaN)
    {
        if (!HostCanCheck(t)) return; // the device checks (see HostCanCheck)
        if (t.DType == DType.Float32) CheckProbabilities<float>(t, argument, allowNaN);
        else CheckProbabilities<double>(t, argument, allowNaN);
    }

    private static void CheckProbabilities<T>(Tensor t, string argument, bool allowNaN) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = HostValues<T>(t);
        for (int i = 0; i < values.Length; i++)
        {
            T v = values[i];
            if (v >= T.Zero && v <= T.One || allowNaN && T.IsNaN(v)) continue;
            throw new ArgumentException($"{argument}{Position(t.Shape, i)} = {v} is outside [0, 1]; {argument} must hold probabilities", argument);
        }
    }

    /// <summary>The elements on the host: the storage itself on the CPU, a copy from any other device.</summary>
    protected static ReadOnlySpan<T> HostValues<T>(Tensor t) where T : unmanaged =>
        t.Device is CpuDevice ? t.AsSpan<T>() : t.ToArray<T>();

    /// <summary>The multi-index of flat element i: "[1, 4]".</summary>
    protected static string Position(ReadOnlySpan<int> shape, long i)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 0) break;
            index[d] = (int)(i % shape[d]);
            i /= shape[d];
        }
        return Tensor.ShapeString(index);
    }
}
