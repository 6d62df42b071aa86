namespace McpGrains.Bench.Infrastructure;

/// <summary>All series of a suite run, by name ("s1/direct/c1/p50"), in insertion order.</summary>
public sealed class BenchResults
{
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

    public Series this[string name]
    {
        get
        {
            if (!_series.TryGetValue(name, out var series))
            {
                series = new Series();
                _series[name] = series;
            }

            return series;
        }
    }

    /// <summary>Every series' raw values, by name, for results.json next to the report.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Raw() =>
        _series.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value.Values, StringComparer.Ordinal);

    public bool Has(string name) => _series.TryGetValue(name, out var series) && series.Count > 0;

    /// <summary>The ratio a/b run by run (paired: both measured in the same run), as its own series.</summary>
    public Series Ratio(string numerator, string denominator)
    {
        var ratio = new Series();
        var a = this[numerator].Values;
        var b = this[denominator].Values;
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            ratio.Add(a[i] / b[i]);
        }

        return ratio;
    }

    /// <summary>The difference a-b run by run.</summary>
    public Series Difference(string minuend, string subtrahend)
    {
        var difference = new Series();
        var a = this[minuend].Values;
        var b = this[subtrahend].Values;
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            difference.Add(a[i] - b[i]);
        }

        return difference;
    }
}
