namespace McpGrains.Gateway.Mcp;

/// <summary>
/// One place in the <see cref="DownstreamSessionQuota"/>, taken for an initialize request. The session that the
/// request creates claims it and releases it when it ends; a request that created no session releases it at its end.
/// Releasing is idempotent.
/// </summary>
internal sealed class DownstreamSessionLease(DownstreamSessionQuota quota, McpSessionKey key)
{
    private int _claimed;
    private int _released;

    public bool IsClaimed => Volatile.Read(ref _claimed) == 1;

    public void Claim() => Interlocked.Exchange(ref _claimed, 1);

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            quota.Release(key);
        }
    }
}
