// clip_grad_norm_ for a training loop on any device: the total norm is computed and applied on the device, never read back.
using Recurrent.Tensors;
using Recurrent.Tensors.Cpu;

namespace Recurrent.Nn.Optim;

/// <summary>
/// <see cref="GradClip.ClipGradNorm"/> returns the norm as a double, which on a GPU means waiting for the queue every
/// step. This clipper keeps the per-parameter norms and their total in small device tensors (made once) and scales with
/// <see cref="Device.ClipByNorm"/>, which reads the total inside the kernel: 2·P + 1 launches, no wait.
/// On a CPU device it is <see cref="GradClip.ClipGradNorm"/> itself (reading is free there), the same numbers bit for bit.
/// </summary>
public sealed class GradNormClipper : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor? _norms, _total; // [P] and [1] on the parameters' device (non-CPU only)
    private readonly Tensor[] _slots = [];   // _norms[i], one per parameter
    private double _hostTotal = double.NaN;

    public GradNormClipper(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be ≥ 0");
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("there are no parameters to clip", nameof(parameters));
        MaxNorm = maxNorm;
        Device device = _parameters[0].Grad.Device;
        DType dtype = _parameters[0].Grad.DType;
        foreach (var p in _parameters)
            if (!device.SharesMemoryWith(p.Grad.Device) || p.Grad.DType != dtype)
                throw new ArgumentException($"every gradient must be {dtype.Name()} on {device.Name}; one is {p.Grad.DType.Name()} on {p.Grad.Device.Name}", nameof(parameters));
        if (device is CpuDevice) return;
        _norms = Tensor.Zeros([_parameters.Length], dtype, device);
        _total = Tensor.Zeros([1], dtype, device);
        _slots = Enumerable.Range(0, _parameters.Length).Select(i => _norms.Narrow(i, 1)).ToArray();
    }

    public double MaxNorm { get; }

    /// <summary>Scales every gradient so that their total L2 norm is at most <see cref="MaxNorm"/> (clip_grad_norm_'s rule).</summary>
    public void Clip()
    {
        if (_total is null)
        {
            _hostTotal = GradClip.ClipGradNorm(_parameters, MaxNorm);
            return;
        }
        Device device = _total.Device;
        for (int i = 0; i < _parameters.Length; i++) device.L2Norm(_parameters[i].Grad, _slots[i]);
        device.L2Norm(_norms!, _total);
        foreach (var p in _parameters) device.ClipByNorm(_total, MaxNorm, p.Grad);
    }

    /// <summary>The total norm before the last <see cref="Clip"/> (NaN before the first); reading it off the CPU waits for the queue.</summary>
    public double LastTotalNorm => _total is null ? _hostTotal : _total.Item();

    public void Dispose()
    {
        _norms?.Dispose();
        _total?.Dispose();
    }
}
