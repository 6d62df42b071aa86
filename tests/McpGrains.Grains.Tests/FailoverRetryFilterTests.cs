using McpGrains.Clustering;
using Orleans.Runtime;

namespace McpGrains.Grains.Tests;

public sealed class FailoverRetryFilterTests
{
    [Fact]
    public void RefusalsThatProveTheCallWasNotProcessed_AreRetried()
    {
        Assert.True(FailoverRetryFilter.IsRetryable(new SiloUnavailableException(), "SendAsync"));
    }

    [Fact]
    public void Timeouts_AreRetriedOnlyForCallsThatAreSafeToRepeat()
    {
        Assert.True(FailoverRetryFilter.IsRetryable(new TimeoutException(), "GetConnectionAsync"));
        Assert.False(FailoverRetryFilter.IsRetryable(new TimeoutException(), "SendAsync"));
        Assert.False(FailoverRetryFilter.IsRetryable(new TimeoutException(), "CompleteAuthorizationAsync"));
    }

    [Fact]
    public void OtherFailures_AreNotRetried()
    {
        Assert.False(FailoverRetryFilter.IsRetryable(new InvalidOperationException(), "GetConnectionAsync"));
    }
}
