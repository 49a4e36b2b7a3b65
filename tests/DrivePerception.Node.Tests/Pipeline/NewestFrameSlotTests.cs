using DrivePerception.Node.Pipeline;

namespace DrivePerception.Node.Tests.Pipeline;

public class NewestFrameSlotTests
{
    private sealed class Item(int id) : IDisposable
    {
        public int Id { get; } = id;
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void Put_DropOldest_NewestWinsAndOldIsDisposedAndCounted()
    {
        using var slot = new NewestFrameSlot<Item>(SlotMode.DropOldest);
        var a = new Item(1);
        var b = new Item(2);
        Assert.True(slot.Put(a));
        Assert.True(slot.Put(b));
        Assert.True(slot.TryTake(TimeSpan.Zero, out var taken));
        Assert.Same(b, taken);
        Assert.True(a.Disposed);
        Assert.False(b.Disposed);
        Assert.Equal(1, slot.Dropped);
    }

    [Fact]
    public void Put_Lossless_WaitsUntilTakenAndDropsNothing()
    {
        using var slot = new NewestFrameSlot<Item>(SlotMode.Lossless);
        var producer = Task.Run(() =>
        {
            for (int i = 0; i < 100; i++) slot.Put(new Item(i));
            slot.Complete();
        });
        var ids = new List<int>();
        while (!slot.IsDrained)
            if (slot.TryTake(TimeSpan.FromMilliseconds(20), out var it)) ids.Add(it!.Id);
        producer.Wait();
        Assert.Equal(Enumerable.Range(0, 100), ids);
        Assert.Equal(0, slot.Dropped);
    }

    [Fact]
    public void TryTake_Empty_TimesOutFalse()
    {
        using var slot = new NewestFrameSlot<Item>(SlotMode.DropOldest);
        Assert.False(slot.TryTake(TimeSpan.FromMilliseconds(5), out var item));
        Assert.Null(item);
        Assert.False(slot.IsDrained);
    }

    [Fact]
    public void Put_AfterComplete_RefusesAndDisposes()
    {
        using var slot = new NewestFrameSlot<Item>(SlotMode.DropOldest);
        slot.Complete();
        var a = new Item(1);
        Assert.False(slot.Put(a));
        Assert.True(a.Disposed);
        Assert.True(slot.IsDrained);
    }

    [Fact]
    public void Dispose_UntakenItem_IsDisposed()
    {
        var slot = new NewestFrameSlot<Item>(SlotMode.DropOldest);
        var a = new Item(1);
        slot.Put(a);
        slot.Dispose();
        Assert.True(a.Disposed);
    }
}
