// Products with a prepared (packed-once) weight: virtual, with a plain-GEMM default, so a device need not implement them.
namespace Recurrent.Tensors;

public abstract partial class Device
{
    /// <summary>
    /// Arranges op(w) (w [K, N], or [N, K] with <paramref name="transpose"/>) for many products a·op(w). Pass the
    /// handle of the previous call as <paramref name="reuse"/> to refresh it in place (no allocation when it fits).
    /// </summary>
    public PreparedWeight Prepare(Tensor w, bool transpose, PreparedWeight? reuse = null)
    {
        CheckFloat(w, nameof(w));
        CheckRank(w, 2, nameof(w));
        if (reuse is not null && (!ReferenceEquals(reuse.Device, this) || !reuse.Fits(w, transpose))) reuse = null;
        return PrepareCore(w, transpose, reuse);
    }

    /// <summary>c = alpha·a·op(w) + beta·c with a: [m, K], c: [m, N] (beta = 0 overwrites c without reading it).</summary>
    public void Gemm(Tensor a, PreparedWeight w, Tensor c, double alpha = 1, double beta = 0)
    {
        CheckPreparedProduct(a, w, c);
        GemmPreparedCore(a, w, c, a.Dim(0), alpha, beta);
    }

    /// <summary>The checks of <see cref="Gemm(Tensor, PreparedWeight, Tensor, double, double)"/>: same device and dtype, a [m, K],
    /// c [m, N]; the names are the caller's arguments.</summary>
    private protected void CheckPreparedProduct(Tensor a, PreparedWeight w, Tensor c, string aName = "a", string wName = "w", string cName = "c")
    {
        CheckPreparedHere(w, wName);
        CheckFloat(a, aName);
        CheckSame(a, w.Weight, wName);
        CheckSame(a, c, cName);
        CheckRank(a, 2, aName);
        CheckRank(c, 2, cName);
        if (a.Dim(1) != w.K)
            throw new ArgumentException($"{aName} must be [m, {w.K}] to match the prepared op({wName}) [{w.K}, {w.N}]; got {a.ShapeText}", aName);
        if (c.Dim(0) != a.Dim(0) || c.Dim(1) != w.N)
            throw new ArgumentException($"{cName} must be [{a.Dim(0)}, {w.N}]; got {c.ShapeText}", cName);
    }

    /// <summary>A prepared weight is given, and was prepared by this device.</summary>
    private protected void CheckPreparedHere(PreparedWeight w, string name)
    {
        ArgumentNullException.ThrowIfNull(w, name);
        if (!ReferenceEquals(w.Device, this))
            throw new ArgumentException($"{name} was prepared on {w.Device.Name}; this operation runs on {Name}", name);
    }

    /// <summary>The default keeps the tensor only; products then run as a plain GEMM.</summary>
    protected virtual PreparedWeight PrepareCore(Tensor w, bool transpose, PreparedWeight? reuse)
    {
        if (reuse is null) return new PreparedWeight(this, w, transpose);
        reuse.Weight = w;
        return reuse;
    }

    protected virtual void GemmPreparedCore(Tensor a, PreparedWeight w, Tensor c, int m, double alpha, double beta) =>
        GemmCore(false, w.Transpose, m, w.N, w.K, alpha, a, w.Weight, beta, c);
}
