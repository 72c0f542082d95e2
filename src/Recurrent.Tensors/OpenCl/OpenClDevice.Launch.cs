// Kernel launches: arguments set and the NDRange enqueued under the device's lock, without waiting for the kernel.
using System.Runtime.InteropServices;
using Recurrent.Tensors.OpenCl.Native;

namespace Recurrent.Tensors.OpenCl;

public sealed partial class OpenClDevice
{
    /// <summary>One kernel argument: an int, a REAL scalar (sent as float or double by the call's dtype), or a tensor,
    /// which is two kernel arguments (its cl_mem, its element offset). A null tensor is the scratch buffer at offset 0,
    /// for the kernels' optional operands (they also take a has… flag and never read it).</summary>
    internal readonly struct Arg
    {
        private Arg(int kind, int i, double r, Tensor? t)
        {
            Kind = kind;
            Int = i;
            Real = r;
            Tensor = t;
        }

        internal readonly int Kind; // 0 int, 1 real, 2 tensor, 3 the device's error words
        internal readonly int Int;
        internal readonly double Real;
        internal readonly Tensor? Tensor;

        public static implicit operator Arg(int v) => new(0, v, 0, null);
        public static implicit operator Arg(bool v) => new(0, v ? 1 : 0, 0, null);
        public static implicit operator Arg(Tensor? t) => new(2, 0, 0, t);
        public static Arg R(double v) => new(1, 0, v, null);

        /// <summary>The device's error words (one __global int* argument), for kernels that report bad input.</summary>
        public static Arg Errors => new(3, 0, 0, null);
    }

    private readonly SafeHandle?[] _held = new SafeHandle?[32];

    /// <summary>n work-items, in groups of <see cref="ElementGroup"/>; nothing is enqueued for n = 0.</summary>
    private void Elementwise(DType dtype, string kernel, long n, params ReadOnlySpan<Arg> args)
    {
        if (n == 0) return;
        Launch(dtype, kernel, RoundUp(n, ElementGroup), 1, (nuint)ElementGroup, 1, args);
    }

    /// <summary>One work-group of <see cref="ReduceGroup"/> items per group index (rows, or 1 for whole-tensor reductions).</summary>
    private void Groups(DType dtype, string kernel, long groups, params ReadOnlySpan<Arg> args)
    {
        if (groups == 0) return;
        Launch(dtype, kernel, (nuint)(groups * ReduceGroup), 1, (nuint)ReduceGroup, 1, args);
    }

    /// <summary>A 2-D range (x fastest), local size chosen by the runtime; nothing is enqueued when it is empty.</summary>
    private void Grid(DType dtype, string kernel, long x, long y, params ReadOnlySpan<Arg> args)
    {
        if (x == 0 || y == 0) return;
        Launch(dtype, kernel, RoundUp(x, 16), RoundUp(y, 4), 16, 4, args);
    }

    private static nuint RoundUp(long n, int multiple) => (nuint)((n + multiple - 1) / multiple * multiple);

    /// <summary>Sets every argument and enqueues; each cl_mem is ref-counted for the call so a finalizer cannot free it mid-way.</summary>
    private unsafe void Launch(DType dtype, string name, nuint g0, nuint g1, nuint l0, nuint l1, ReadOnlySpan<Arg> args)
    {
        bool fp64 = dtype == DType.Float64;
        lock (_sync)
        {
            ClKernelHandle kernel = Program(dtype).Kernel(name);
            int held = 0;
            try
            {
                uint index = 0;
                foreach (ref readonly Arg a in args)
                {
                    switch (a.Kind)
                    {
                        case 0:
                        {
                            int v = a.Int;
                            Set(kernel, name, index++, sizeof(int), &v);
                            break;
                        }
                        case 1:
                            if (fp64)
                            {
                                double d = a.Real;
                                Set(kernel, name, index++, sizeof(double), &d);
                            }
                            else
                            {
                                float f = (float)a.Real;
                                Set(kernel, name, index++, sizeof(float), &f);
                            }
                            break;
                        case 3:
                        {
                            nint mem = _errors.DangerousGetHandle(); // lives as long as the device
                            Set(kernel, name, index++, (nuint)sizeof(nint), &mem);
                            break;
                        }
                        default:
                        {
                            SafeHandle handle = a.Tensor is null ? _scratch : ((OpenClStorage)a.Tensor.Storage).Handle;
                            bool added = false;
                            handle.DangerousAddRef(ref added);
                            _held[held++] = handle;
                            nint mem = handle.DangerousGetHandle();
                            int offset = a.Tensor is null ? 0 : checked((int)a.Tensor.Offset);
                            Set(kernel, name, index++, (nuint)sizeof(nint), &mem);
                            Set(kernel, name, index++, sizeof(int), &offset);
                            break;
                        }
                    }
                }
                nuint* global = stackalloc nuint[] { g0, g1 };
                nuint* local = stackalloc nuint[] { l0, l1 };
                int status = ClApi.clEnqueueNDRangeKernel(Queue, kernel, g1 == 1 && l1 == 1 ? 1u : 2u, null, global, local, 0, null, null);
                if (status != 0) ClStatus.Check(status, $"clEnqueueNDRangeKernel({name})"); // the message only on failure: a launch allocates nothing
                Interlocked.Increment(ref _launches);
            }
            finally
            {
                for (int i = 0; i < held; i++)
                {
                    _held[i]!.DangerousRelease();
                    _held[i] = null;
                }
            }
        }
    }

    private static unsafe void Set(ClKernelHandle kernel, string name, uint index, nuint size, void* value)
    {
        int status = ClApi.clSetKernelArg(kernel, index, size, value);
        if (status != 0) ClStatus.Check(status, $"clSetKernelArg({name}, {index})");
    }
}
