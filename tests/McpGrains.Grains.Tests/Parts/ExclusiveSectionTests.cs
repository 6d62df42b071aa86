using McpGrains.Grains.Sessions;

namespace McpGrains.Grains.Tests.Parts;

public sealed class ExclusiveSectionTests
{
    [Fact]
    public async Task RunAsync_TheSecondCallerWaitsUntilTheFirstLeaves()
    {
        var section = new ExclusiveSection(allowPrivateNetwork: false);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();

        var first = section.RunAsync(async _ =>
        {
            order.Add("first in");
            entered.SetResult();
            await release.Task;
            order.Add("first out");
        }, CancellationToken.None);
        await entered.Task;
        var second = section.RunAsync(_ =>
        {
            order.Add("second in");
            return Task.FromResult(2);
        }, CancellationToken.None);

        Assert.True(section.IsHeld);
        Assert.False(second.IsCompleted);
        release.SetResult();
        Assert.Equal(2, await second);
        await first;
        Assert.Equal(["first in", "first out", "second in"], order);
        Assert.False(section.IsHeld);
    }

    [Fact]
    public async Task RunAsync_AFailureLeavesTheSectionFree()
    {
        var section = new ExclusiveSection(allowPrivateNetwork: false);

        await Assert.ThrowsAsync<InvalidOperationException>(() => section.RunAsync(_ => throw new InvalidOperationException("bug"), CancellationToken.None));

        Assert.False(section.IsHeld);
        Assert.Equal(1, await section.RunAsync(_ => Task.FromResult(1), CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_AWaiterWhoseCallIsCancelledNeverEnters()
    {
        var section = new ExclusiveSection(allowPrivateNetwork: false);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = section.RunAsync(_ => release.Task, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var entered = false;

        var waiting = section.RunAsync(_ =>
        {
            entered = true;
            return Task.CompletedTask;
        }, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult();
        await first;
        Assert.False(entered);
        Assert.False(section.IsHeld);
    }
}
