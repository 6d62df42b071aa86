using System.Reflection;

namespace McpGrains.Gateway.Tests.Infrastructure;

/// <summary>Presents a <see cref="FakeSessionGrain"/> as <see cref="IMcpSessionGrain"/>; calls to members the fake lacks fail the test.</summary>
public class SessionGrainProxy : DispatchProxy
{
    private FakeSessionGrain? _fake;

    public static IMcpSessionGrain Wrap(FakeSessionGrain fake)
    {
        var grain = Create<IMcpSessionGrain, SessionGrainProxy>();
        ((SessionGrainProxy)(object)grain)._fake = fake;
        return grain;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var parameterTypes = targetMethod.GetParameters().Select(p => p.ParameterType).ToArray();
        var implementation = typeof(FakeSessionGrain).GetMethod(targetMethod.Name, parameterTypes)
            ?? throw new NotSupportedException($"The gateway's REST API is not expected to call {targetMethod.Name}.");
        try
        {
            return implementation.Invoke(_fake, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }
}
