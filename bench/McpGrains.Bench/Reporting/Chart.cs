using System.Globalization;

namespace McpGrains.Bench.Reporting;

/// <summary>Bar and line charts over categorical x positions, with min–max whiskers and an optional target line.</summary>
public static class Chart
{
    public static readonly (byte R, byte G, byte B)[] Palette =
    [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75), (227, 119, 194),
    ];

    private const int W = 1000;
    private const int H = 560;
    private const int Left = 110;
    private const int Right = 30;
    private const int Top = 60;
    private const int Bottom = 110;
    private static readonly (byte R, byte G, byte B) Ink = (40, 40, 40);
    private static readonly (byte R, byte G, byte B) Grid = (225, 225, 225);
    private static readonly (byte R, byte G, byte B) TargetColor = (200, 0, 0);

    /// <summary>One bar per category (its own colour), whiskers from min to max.</summary>
    public static void Bars(string path, string title, string yLabel, string[] categories, ChartSeries values, double? target = null, string? targetLabel = null)
    {
        var canvas = new PngCanvas(W, H);
        var top = Scale(values.Max.Concat(target is null ? [] : [target.Value]));
        Frame(canvas, title, yLabel, top);
        var slot = (W - Left - Right) / (double)categories.Length;

        // Labels wider than their slot would run into each other: every other one goes a line lower.
        var stagger = categories.Any(c => PixelFont.Measure(c, 2) > slot * 0.95);
        for (var i = 0; i < categories.Length; i++)
        {
            var color = Palette[i % Palette.Length];
            var x0 = Left + (slot * i) + (slot * 0.2);
            var x1 = Left + (slot * (i + 1)) - (slot * 0.2);
            canvas.FillRect((int)x0, Y(values.Median[i], top), (int)x1, Y(0, top), color);
            Whisker(canvas, (x0 + x1) / 2, values.Min[i], values.Max[i], top);
            var label = values.Median[i].ToString(values.Median[i] >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
            canvas.Text((int)(((x0 + x1) / 2) - (PixelFont.Measure(label, 2) / 2)), Math.Min(Y(values.Median[i], top), Y(double.IsNaN(values.Max[i]) ? 0 : values.Max[i], top)) - 20, label, Ink, 2);
            CenteredLabel(canvas, categories[i], (x0 + x1) / 2, H - Bottom + 12 + (stagger && i % 2 == 1 ? 22 : 0));
        }

        Target(canvas, target, targetLabel, top);
        canvas.Save(path);
    }

    /// <summary>Several series over the same x labels.</summary>
    public static void Lines(string path, string title, string yLabel, string[] xLabels, IReadOnlyList<ChartSeries> series, double? target = null, string? targetLabel = null)
    {
        var canvas = new PngCanvas(W, H);
        var top = Scale(series.SelectMany(s => s.Max).Concat(target is null ? [] : [target.Value]));
        Frame(canvas, title, yLabel, top);
        var slot = (W - Left - Right) / (double)xLabels.Length;
        double X(int i) => Left + (slot * (i + 0.5));
        for (var i = 0; i < xLabels.Length; i++)
        {
            CenteredLabel(canvas, xLabels[i], X(i), H - Bottom + 12);
        }

        foreach (var s in series)
        {
            for (var i = 0; i < s.Median.Length; i++)
            {
                if (double.IsNaN(s.Median[i]))
                {
                    continue;
                }

                Whisker(canvas, X(i), s.Min[i], s.Max[i], top);
                canvas.FillRect((int)X(i) - 4, Y(s.Median[i], top) - 4, (int)X(i) + 4, Y(s.Median[i], top) + 4, s.Color);
                if (i + 1 < s.Median.Length && !double.IsNaN(s.Median[i + 1]))
                {
                    canvas.Line(X(i), Y(s.Median[i], top), X(i + 1), Y(s.Median[i + 1], top), s.Color, 3);
                }
            }
        }

        Target(canvas, target, targetLabel, top);
        var legendY = H - 50;
        var legendX = Left;
        foreach (var s in series)
        {
            canvas.FillRect(legendX, legendY, legendX + 20, legendY + 12, s.Color);
            canvas.Text(legendX + 28, legendY, s.Name, Ink, 2);
            legendX += 28 + PixelFont.Measure(s.Name, 2) + 30;
        }

        canvas.Save(path);
    }

    private static void Frame(PngCanvas canvas, string title, string yLabel, double top)
    {
        canvas.Text((W - PixelFont.Measure(title, 3)) / 2, 14, title, Ink, 3);
        for (var t = 0; t <= 5; t++)
        {
            var value = top * t / 5;
            var y = Y(value, top);
            canvas.Line(Left, y, W - Right, y, Grid);
            var label = FormatTick(value);
            canvas.Text(Left - 10 - PixelFont.Measure(label, 2), y - 7, label, Ink, 2);
        }

        canvas.Line(Left, Top, Left, H - Bottom, Ink, 2);
        canvas.Line(Left, H - Bottom, W - Right, H - Bottom, Ink, 2);
        canvas.Text(8, Top - 30, yLabel, Ink, 2);
    }

    private static void Whisker(PngCanvas canvas, double x, double min, double max, double top)
    {
        if (double.IsNaN(min) || double.IsNaN(max))
        {
            return;
        }

        canvas.Line(x, Y(min, top), x, Y(max, top), Ink, 2);
        canvas.Line(x - 6, Y(min, top), x + 6, Y(min, top), Ink, 2);
        canvas.Line(x - 6, Y(max, top), x + 6, Y(max, top), Ink, 2);
    }

    private static void Target(PngCanvas canvas, double? target, string? label, double top)
    {
        if (target is null)
        {
            return;
        }

        var y = Y(target.Value, top);
        canvas.Line(Left, y, W - Right, y, TargetColor, 2, dashed: true);
        if (label is not null)
        {
            canvas.Text(W - Right - PixelFont.Measure(label, 2) - 4, y - 20, label, TargetColor, 2);
        }
    }

    private static void CenteredLabel(PngCanvas canvas, string text, double x, int y) =>
        canvas.Text((int)(x - (PixelFont.Measure(text, 2) / 2)), y, text, Ink, 2);

    private static int Y(double value, double top) => (int)Math.Round(H - Bottom - ((H - Bottom - Top) * Math.Clamp(value / top, 0, 1.05)));

    private static double Scale(IEnumerable<double> values)
    {
        var max = values.Where(v => !double.IsNaN(v) && !double.IsInfinity(v)).DefaultIfEmpty(1).Max();
        if (max <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            if (step * magnitude >= max * 1.08)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string FormatTick(double value) => value switch
    {
        >= 10000 => (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.##", CultureInfo.InvariantCulture),
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}
