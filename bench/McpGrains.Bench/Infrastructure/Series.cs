namespace McpGrains.Bench.Infrastructure;

/// <summary>Repeated measurements of one figure: the report shows the median with min and max.</summary>
public sealed class Series
{
    private readonly List<double> _values = [];

    public IReadOnlyList<double> Values => _values;

    public int Count => _values.Count;

    public double Median
    {
        get
        {
            if (_values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _values.Order().ToArray();
            return LoadRunner.Percentile(sorted, 0.5);
        }
    }

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    public void Add(double value) => _values.Add(value);

    /// <summary>"1.23 (1.10–1.40)" with the given format.</summary>
    public string Format(string format = "F2") =>
        _values.Count == 0
            ? "n/a"
            : $"{Median.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ({Min.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}–{Max.ToString(format, System.Globalization.CultureInfo.InvariantCulture)})";
}
