using McpGrains.Configuration;
using McpGrains.Downstream;
using McpGrains.Grains.Downstream;
using Microsoft.Extensions.Time.Testing;

namespace McpGrains.Grains.Tests.Parts;

/// <summary>
/// A downstream session's GET stream without a cluster: messages in order with resumable ids, one current stream, a
/// waiting poll answered by a message, another stream or the end, and prompted sign-ins announced once connected.
/// </summary>
public sealed class DownstreamStreamTests
{
    private static (DownstreamStream Stream, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        return (new DownstreamStream(new DownstreamOptions(), time), time);
    }

    [Fact]
    public async Task Messages_ComeInOrder_AndAPollResumesAfterTheLastEventItSaw()
    {
        var (stream, _) = Create();
        var id = Guid.NewGuid();
        Assert.True(stream.Take(id, attach: true));
        stream.Append("""{"n":1}""");
        stream.Append("""{"n":2}""");

        var first = await stream.PollAsync(null, attach: true, CancellationToken.None);
        stream.Append("""{"n":3}""");
        var next = await stream.PollAsync(first.Cursor, attach: false, CancellationToken.None);

        Assert.Equal(["""{"n":1}""", """{"n":2}"""], first.Events.Select(e => e.MessageJson));
        Assert.Equal(["""{"n":3}"""], next.Events.Select(e => e.MessageJson));
        Assert.Equal(DownstreamStreamStatus.Open, next.Status);
    }

    [Fact]
    public async Task AWaitingPoll_IsAnsweredByAMessage_ByAnotherStream_AndByTheEnd()
    {
        var (stream, _) = Create();
        var first = Guid.NewGuid();
        stream.Take(first, attach: true);
        var cursor = (await stream.PollAsync(null, attach: true, CancellationToken.None)).Cursor;

        var byMessage = stream.PollAsync(cursor, attach: false, CancellationToken.None);
        Assert.False(byMessage.IsCompleted);
        stream.Append("""{"m":1}""");
        Assert.Single((await byMessage).Events);

        var bySuccessor = stream.PollAsync((await byMessage).Cursor, attach: false, CancellationToken.None);
        Assert.True(stream.Take(Guid.NewGuid(), attach: true));
        Assert.Equal(DownstreamStreamStatus.Superseded, (await bySuccessor).Status);
        Assert.False(stream.Take(first, attach: false));

        var byEnd = stream.PollAsync((await byMessage).Cursor, attach: false, CancellationToken.None);
        stream.End();
        Assert.Equal(DownstreamStreamStatus.Gone, (await byEnd).Status);
    }

    [Fact]
    public async Task APollWithNothing_AnswersEmptyAfterThePollWait()
    {
        var (stream, time) = Create();
        stream.Take(Guid.NewGuid(), attach: true);
        var cursor = (await stream.PollAsync(null, attach: true, CancellationToken.None)).Cursor;

        var poll = stream.PollAsync(cursor, attach: false, CancellationToken.None);
        time.Advance(DownstreamEvents.PollWait);
        var answer = await poll;

        Assert.Equal(DownstreamStreamStatus.Open, answer.Status);
        Assert.Empty(answer.Events);
    }

    [Fact]
    public async Task PromptedSignIns_AreAnnouncedOnceConnected_WithTheListsChanged()
    {
        var (stream, _) = Create();
        stream.Take(Guid.NewGuid(), attach: true);
        stream.RecordPromptedSignIn("e1");
        Assert.True(stream.HasPromptedSignIns);

        stream.OnConnected();
        var events = (await stream.PollAsync(null, attach: true, CancellationToken.None)).Events.Select(e => e.MessageJson).ToList();

        Assert.False(stream.HasPromptedSignIns);
        Assert.Contains(events, e => e.Contains("notifications/elicitation/complete", StringComparison.Ordinal) && e.Contains("\"e1\"", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Contains("notifications/tools/list_changed", StringComparison.Ordinal));
        Assert.Equal(4, events.Count);
    }

    [Fact]
    public async Task ASignInThisSessionWasNotPromptedFor_ChangesTheListsButAnnouncesNoElicitation()
    {
        var (stream, _) = Create();
        stream.Take(Guid.NewGuid(), attach: true);
        stream.RecordPromptedSignIn("mine");

        stream.OnSignInCompleted("someone-elses");
        var events = (await stream.PollAsync(null, attach: true, CancellationToken.None)).Events.Select(e => e.MessageJson).ToList();

        Assert.Equal(3, events.Count);
        Assert.DoesNotContain(events, e => e.Contains("elicitation", StringComparison.Ordinal));
        Assert.True(stream.HasPromptedSignIns);
    }
}
