// A running weighted sum of losses kept where the losses are: one host read per epoch instead of one per batch.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Nn;

/// <summary>
/// What a training loop's <c>sum += loss.Forward(...).Item() * weight</c> does, without the <c>Item()</c>: on a GPU
/// that read waits for the whole queue every batch. <see cref="Add"/> adds weight·loss into a one-element tensor on
/// the loss's device (one Axpy launch, no wait); <see cref="Sum"/> reads it once, when the epoch is over.
/// On a CPU device reading is free, so the sum is kept on the host in double exactly as the loops did before
/// (the same numbers, bit for bit); elsewhere it is summed in the loss's dtype on the device.
/// </summary>
public sealed class LossMeter : IDisposable
{
    private Tensor? _sum;  // [] on the losses' device, once a non-CPU loss came; null while the sum is on the host
    private double _host;  // the sum on the host (CPU devices), or the start value until _sum exists

    /// <summary>Losses added since the last <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Σ weight over those losses (e.g. examples, for a mean per example).</summary>
    public double Weight { get; private set; }

    /// <summary>Adds weight · loss; loss: a one-element float tensor (a Loss module's Forward result).</summary>
    public void Add(Tensor loss, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Length != 1 || !loss.DType.IsFloatingPoint())
            throw new ArgumentException($"loss must be one float32 or float64 element; got {loss.DType.Name()} {loss.ShapeText}", nameof(loss));
        if (!double.IsFinite(weight)) throw new ArgumentOutOfRangeException(nameof(weight), weight, "weight must be finite");
        Device device = loss.Device;
        if (device is CpuDevice)
        {
            if (_sum is not null) throw Mixed(_sum.Device, device);
            _host += loss.Item() * weight;
        }
        else
        {
            if (_sum is null)
            {
                if (Count > 0) throw Mixed(Device.Cpu, device);
                _sum = Tensor.Zeros(ReadOnlySpan<int>.Empty, loss.DType, device);
                if (_host != 0) device.Fill(_sum, _host); // the start value Reset was given
            }
            else if (!ReferenceEquals(_sum.Device, device) || _sum.DType != loss.DType) throw Mixed(_sum.Device, device);
            device.Axpy(weight, loss.Reshape(), _sum);
        }
        Count++;
        Weight += weight;
    }

    /// <summary>The weighted sum so far (the start value before the first Add). Off the CPU this reads it back: one wait.</summary>
    public double Sum => _sum is null ? _host : _sum.Item();

    /// <summary><see cref="Sum"/> / <see cref="Weight"/> (NaN before the first Add).</summary>
    public double Mean => Weight == 0 ? double.NaN : Sum / Weight;

    /// <summary>Starts again from <paramref name="sum"/> (a resumed epoch's running sum; 0 for a new one), with no losses counted.</summary>
    public void Reset(double sum = 0)
    {
        Count = 0;
        Weight = 0;
        if (_sum is null) _host = sum;
        else _sum.Device.Fill(_sum, sum); // queued: no wait
    }

    public void Dispose() => _sum?.Dispose();

    private static InvalidOperationException Mixed(Device had, Device now) =>
        new($"a LossMeter sums the losses of one device; it has losses from {had.Name} and was given one from {now.Name}");
}
