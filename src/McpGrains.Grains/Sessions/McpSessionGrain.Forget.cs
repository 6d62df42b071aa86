namespace McpGrains.Grains.Sessions;

// Account deletion (DELETE /api/v1/users/{userId}): everything a disconnect forgets, and the activation itself.
public sealed partial class McpSessionGrain
{
    public Task ForgetAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(ForgetLockedAsync, cancellationToken);

    private async Task ForgetLockedAsync(CancellationToken cancellationToken)
    {
        await DisconnectLockedAsync(cancellationToken);
        _userLabel = null;
        _stepUps.Clear();

        // The label, observers and counters live only in this activation: ending it leaves no trace of the user.
        DeactivateOnIdle();
    }
}
