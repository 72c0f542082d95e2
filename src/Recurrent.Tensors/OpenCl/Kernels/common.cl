// Definitions shared by every kernel file (compiled first): the element type REAL and small helpers.
// Build options set REAL (float or double), IS_DOUBLE (0/1) and WG, the power-of-two work-group size of the
// reduction kernels. Every tensor argument is a (buffer, element offset) pair: views are never sub-buffers.

#if IS_DOUBLE
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

// No silent a*b+c → fma contraction: the CPU reference rounds each operation, so kernels call fma() only where the
// reference uses FusedMultiplyAdd (axpy, Adam, SGD) or where the order of rounding does not matter (GEMM's sum).
#pragma OPENCL FP_CONTRACT OFF

// max that propagates NaN like .NET's Math.Max (OpenCL's fmax returns the other operand).
inline REAL max_nan(REAL a, REAL b) { return isnan(a) ? a : isnan(b) ? b : (a > b ? a : b); }

// 1/(1+e^-x) for x >= 0, e^x/(1+e^x) below: exp never overflows (the Activate reference).
inline REAL sigmoid_stable(REAL x)
{
    REAL e = exp(-fabs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

// The cells' plain logistic, 1/(1+e^-x), as the CPU cell kernels write it.
inline REAL sigmoid_plain(REAL x) { return 1 / (1 + exp(-x)); }

// Tree reduction of one value per work-item over a WG-item work-group: op 0 sums, op 1 takes the NaN-propagating max.
// Every item of the group must call it (it has barriers); every item gets the result.
inline REAL wg_reduce(__local REAL* scratch, REAL v, int op)
{
    int l = get_local_id(0);
    scratch[l] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = WG / 2; stride > 0; stride >>= 1)
    {
        if (l < stride) scratch[l] = op == 0 ? scratch[l] + scratch[l + stride] : max_nan(scratch[l], scratch[l + stride]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    REAL r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE); // the scratch may be reused right after
    return r;
}

// Bad input met on the device (an index out of range…): the first offence is kept in the device's four error words
// (code, position, value, bound) and thrown by the host's next read; the kernel clamps so nothing is read or written
// out of bounds. Codes: 1 embedding index, 2 class target, 3 sequence length, 4 probability target, 5 probability
// input (OpenClDevice.Errors.cs). Only the winner of the code word writes the rest; the host reads after the kernel ends.
inline void report_error(__global int* err, int code, int position, int value, int bound)
{
    if (atomic_cmpxchg(err, 0, code) == 0)
    {
        err[1] = position;
        err[2] = value;
        err[3] = bound;
    }
}
