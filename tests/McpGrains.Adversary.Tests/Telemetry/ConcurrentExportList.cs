using System.Collections;
using System.Collections.Concurrent;

namespace McpGrains.Adversary.Tests.Telemetry;

/// <summary>
/// What an in-memory exporter adds to, safe to read while it adds: spans end on many threads (and, since activity
/// listeners are process-wide, also in other tests' hosts while this one runs).
/// </summary>
public sealed class ConcurrentExportList<T> : ICollection<T>
{
    private readonly ConcurrentQueue<T> _items = new();

    public int Count => _items.Count;

    public bool IsReadOnly => false;

    public void Add(T item) => _items.Enqueue(item);

    public void Clear() => _items.Clear();

    public bool Contains(T item) => _items.Contains(item);

    public void CopyTo(T[] array, int arrayIndex) => _items.CopyTo(array, arrayIndex);

    public bool Remove(T item) => throw new NotSupportedException("An export list is append-only.");

    /// <summary>A snapshot: items added while it is read are not in it.</summary>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items.ToArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
