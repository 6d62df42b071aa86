using System.Runtime.CompilerServices;
using Orleans;
using Orleans.Runtime;

namespace McpGrains.Gateway;

/// <summary>
/// References to session grains without Orleans' per-call type lookups: <c>GetGrain&lt;T&gt;(string)</c> resolves the
/// interface's grain interface type from its custom attributes on every call (Orleans 10.4), about 1% of a proxied
/// call's CPU. The grain type and interface type are taken, per factory, from the first reference it makes the usual
/// way; a factory whose references are not Orleans grain references (a test double) is always asked the usual way.
/// </summary>
public static class SessionGrainReferences
{
    private static readonly ConditionalWeakTable<IGrainFactory, GrainTypes> Types = new();

    public static IMcpSessionGrain SessionGrain(this IGrainFactory grains, McpSessionKey key)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (Types.TryGetValue(grains, out var types))
        {
            return (IMcpSessionGrain)grains.GetGrain(GrainId.Create(types.Type, key.Format()), types.Interface);
        }

        var grain = grains.GetGrain<IMcpSessionGrain>(key.Format());
        if (grain is GrainReference reference)
        {
            Types.TryAdd(grains, new GrainTypes(reference.GrainId.Type, reference.InterfaceType));
        }

        return grain;
    }

    private sealed record GrainTypes(GrainType Type, GrainInterfaceType Interface);
}
