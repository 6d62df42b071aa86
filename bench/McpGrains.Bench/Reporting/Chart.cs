using System.Globalization;
using ScottPlot;
using ScottPlot.Palettes;

namespace McpGrains.Bench.Reporting;

/// <summary>Bar and line charts over categorical x positions, with min–max whiskers, drawn with ScottPlot as PNG.</summary>
public static class Chart
{
    public static readonly Color[] Palette = new Category10().Colors;

    private const int W = 1000;
    private const int H = 560;
    private static readonly Color Ink = new(40, 40, 40);

    /// <summary>One bar per category (its own colour), whiskers from min to max, the median written above.</summary>
    public static void Bars(string path, string title, string yLabel, string[] categories, ChartSeries values)
    {
        var plot = Frame(title, yLabel, categories);
        for (var i = 0; i < categories.Length; i++)
        {
            if (double.IsNaN(values.Median[i]))
            {
                continue;
            }

            plot.Add.Bar(new Bar { Position = i, Value = values.Median[i], FillColor = Palette[i % Palette.Length], LineWidth = 0, Size = 0.6 });
            var label = plot.Add.Text(values.Median[i].ToString(values.Median[i] >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture),
                i, double.IsNaN(values.Max[i]) ? values.Median[i] : Math.Max(values.Median[i], values.Max[i]));
            label.LabelAlignment = Alignment.LowerCenter;
            label.LabelFontSize = 14;
            label.LabelFontColor = Ink;
            label.OffsetY = -6;
        }

        Whiskers(plot, values);
        Save(plot, path);
    }

    /// <summary>Several series over the same x labels; a missing (NaN) point breaks its line.</summary>
    public static void Lines(string path, string title, string yLabel, string[] xLabels, IReadOnlyList<ChartSeries> series)
    {
        var plot = Frame(title, yLabel, xLabels);
        foreach (var s in series)
        {
            Whiskers(plot, s);
            var legend = s.Name;
            foreach (var run in Runs(s.Median))
            {
                var line = plot.Add.Scatter(run.Select(i => (double)i).ToArray(), run.Select(i => s.Median[i]).ToArray(), s.Color);
                line.LineWidth = 3;
                line.MarkerShape = MarkerShape.FilledSquare;
                line.MarkerSize = 9;
                line.LegendText = legend;
                legend = "";
            }
        }

        plot.ShowLegend(Edge.Bottom);
        Save(plot, path);
    }

    private static Plot Frame(string title, string yLabel, string[] xLabels)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.Axes.Bottom.SetTicks([.. xLabels.Select((_, i) => (double)i)], xLabels);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Grid.XAxisStyle.IsVisible = false;
        return plot;
    }

    private static void Whiskers(Plot plot, ChartSeries s)
    {
        var points = Enumerable.Range(0, s.Median.Length).Where(i => !double.IsNaN(s.Median[i]) && !double.IsNaN(s.Min[i]) && !double.IsNaN(s.Max[i])).ToArray();
        if (points.Length == 0)
        {
            return;
        }

        var whiskers = plot.Add.ErrorBar(
            [.. points.Select(i => (double)i)],
            [.. points.Select(i => s.Median[i])],
            [.. points.Select(i => s.Max[i] - s.Median[i])]);
        whiskers.YErrorNegative = [.. points.Select(i => s.Median[i] - s.Min[i])];
        whiskers.Color = Ink;
        whiskers.LineWidth = 2;
        whiskers.CapSize = 12;
    }

    /// <summary>The x positions in runs of consecutive measured (non-NaN) values.</summary>
    private static IEnumerable<int[]> Runs(double[] values)
    {
        var run = new List<int>();
        for (var i = 0; i <= values.Length; i++)
        {
            if (i < values.Length && !double.IsNaN(values[i]))
            {
                run.Add(i);
            }
            else if (run.Count > 0)
            {
                yield return [.. run];
                run.Clear();
            }
        }
    }

    /// <summary>The y axis starts at zero, as the hand-drawn charts did, with headroom above the highest whisker.</summary>
    private static void Save(Plot plot, string path)
    {
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top * 1.08);
        plot.SavePng(path, W, H);
    }
}
