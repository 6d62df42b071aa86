using ScottPlot;

namespace McpGrains.Bench.Reporting;

/// <summary>One plotted series: a median per x position, with min and max whiskers.</summary>
public sealed record ChartSeries(string Name, Color Color, double[] Median, double[] Min, double[] Max);
