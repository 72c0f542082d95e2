// Fused pointwise kernels of the LSTM and GRU cells on spans: one pass per step over [B, H], forward beside backward.
using System.Numerics;

namespace Recurrent.Tensors.Cpu;

/// <summary>
/// The recurrent cells' pointwise math, fused: bias-free gate activations, the state update and what
/// backward needs, in one pass over the batch. The unfused oracle these are tested against composes the
/// primitive kernels (Activate, Mul, Add); see CellKernelTests.
/// </summary>
public static class CellKernels
{
    // gates: [B, 4H] (i, f, g, o) pre-activations in, activations out; cPrev, c, h: [B, H].
    public static void LstmForward<T>(Span<T> gates, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> h, int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            Span<T> row = gates.Slice(b * g4, g4);
            int s = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T i = Sigmoid(row[j]);
                T f = Sigmoid(row[hidden + j]);
                T g = T.Tanh(row[2 * hidden + j]);
                T o = Sigmoid(row[3 * hidden + j]);
                row[j] = i;
                row[hidden + j] = f;
                row[2 * hidden + j] = g;
                row[3 * hidden + j] = o;
                T cNew = f * cPrev[s + j] + i * g;
                c[s + j] = cNew;
                h[s + j] = o * T.Tanh(cNew);
            }
        }
    }

    // gates: [B, 4H] activations; dh, dcNext: gradients reaching h_t and c_t from above and from t+1.
    public static void LstmBackward<T>(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> c, ReadOnlySpan<T> dh, ReadOnlySpan<T> dcNext,
        Span<T> dGates, Span<T> dcPrev, int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> row = gates.Slice(b * g4, g4);
            Span<T> dRow = dGates.Slice(b * g4, g4);
            int s = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T i = row[j], f = row[hidden + j], g = row[2 * hidden + j], o = row[3 * hidden + j];
                T tc = T.Tanh(c[s + j]);
                T dhj = dh[s + j];
                T dc = dcNext[s + j] + dhj * o * (T.One - tc * tc);
                dRow[j] = dc * g * i * (T.One - i);
                dRow[hidden + j] = dc * cPrev[s + j] * f * (T.One - f);
                dRow[2 * hidden + j] = dc * i * (T.One - g * g);
                dRow[3 * hidden + j] = dhj * tc * o * (T.One - o);
                dcPrev[s + j] = dc * f;
            }
        }
    }

    // xg, hg: [B, 3H] (r, z, n); bhh: [3H] or empty; saved: [B, 4H] receives (r, z, n, hg_n + b_hn).
    public static void GruForward<T>(ReadOnlySpan<T> xg, ReadOnlySpan<T> hg, ReadOnlySpan<T> bhh, ReadOnlySpan<T> hPrev, Span<T> saved, Span<T> h,
        int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int g3 = 3 * hidden, g4 = 4 * hidden;
        bool hasBias = !bhh.IsEmpty;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> x = xg.Slice(b * g3, g3), hr = hg.Slice(b * g3, g3);
            Span<T> sv = saved.Slice(b * g4, g4);
            int s = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T br = hasBias ? bhh[j] : T.Zero, bz = hasBias ? bhh[hidden + j] : T.Zero, bn = hasBias ? bhh[2 * hidden + j] : T.Zero;
                T r = Sigmoid(x[j] + hr[j] + br);
                T z = Sigmoid(x[hidden + j] + hr[hidden + j] + bz);
                T hn = hr[2 * hidden + j] + bn;
                T n = T.Tanh(x[2 * hidden + j] + r * hn);
                sv[j] = r;
                sv[hidden + j] = z;
                sv[2 * hidden + j] = n;
                sv[3 * hidden + j] = hn;
                h[s + j] = (T.One - z) * n + z * hPrev[s + j];
            }
        }
    }

    public static void GruBackward<T>(ReadOnlySpan<T> saved, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh, Span<T> dxg, Span<T> dhg, Span<T> dhPrev,
        int batch, int hidden)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int g3 = 3 * hidden, g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> sv = saved.Slice(b * g4, g4);
            Span<T> dx = dxg.Slice(b * g3, g3), dhr = dhg.Slice(b * g3, g3);
            int s = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                T r = sv[j], z = sv[hidden + j], n = sv[2 * hidden + j], hn = sv[3 * hidden + j];
                T d = dh[s + j];
                T dnPre = d * (T.One - z) * (T.One - n * n);
                T dzPre = d * (hPrev[s + j] - n) * z * (T.One - z);
                T drPre = dnPre * hn * r * (T.One - r);
                dx[j] = drPre;
                dx[hidden + j] = dzPre;
                dx[2 * hidden + j] = dnPre;
                dhr[j] = drPre;
                dhr[hidden + j] = dzPre;
                dhr[2 * hidden + j] = dnPre * r;
                dhPrev[s + j] = d * z;
            }
        }
    }

    // x, fallback: [B, width]; rows whose sequence ended by step t take the fallback row (or zeros).
    public static void MaskEndedRows<T>(ReadOnlySpan<int> lengths, int t, Span<T> x, ReadOnlySpan<T> fallback, int batch, int width)
        where T : unmanaged
    {
        for (int b = 0; b < batch; b++)
        {
            if (t < lengths[b]) continue;
            Span<T> row = x.Slice(b * width, width);
            if (fallback.IsEmpty) row.Clear();
            else fallback.Slice(b * width, width).CopyTo(row);
        }
    }

    // x, y: [T, B, F]; y[t, b] = x[len_b − 1 − t, b] inside the sequence, zero past its end.
    public static void ReverseSequences<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> lengths, Span<T> y, int steps, int batch, int features)
        where T : unmanaged
    {
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                Span<T> dst = y.Slice((t * batch + b) * features, features);
                int len = lengths[b];
                if (t < len) x.Slice(((len - 1 - t) * batch + b) * features, features).CopyTo(dst);
                else dst.Clear();
            }
        }
    }

    // x: [first, second, F] → y: [second, first, F].
    public static void SwapLeadingDims<T>(ReadOnlySpan<T> x, Span<T> y, int first, int second, int features) where T : unmanaged
    {
        for (int i = 0; i < first; i++)
            for (int j = 0; j < second; j++)
                x.Slice((i * second + j) * features, features).CopyTo(y.Slice((j * first + i) * features, features));
    }

    // A [rows, width] block at column `column` of a [rows, wideWidth] matrix, copied in or out.
    public static void Columns<T>(ReadOnlySpan<T> src, Span<T> dst, int rows, int width, int wideWidth, int column, bool toColumns, bool accumulate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> from = toColumns ? src.Slice(r * width, width) : src.Slice(r * wideWidth + column, width);
            Span<T> to = toColumns ? dst.Slice(r * wideWidth + column, width) : dst.Slice(r * width, width);
            if (!accumulate) from.CopyTo(to);
            else for (int j = 0; j < width; j++) to[j] += from[j];
        }
    }

    private static T Sigmoid<T>(T x) where T : IBinaryFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
}
