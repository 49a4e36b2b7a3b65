using DrivePerception.Vision.Inference;

namespace DrivePerception.Vision.Tests.Inference;

/// <summary>
/// Batching across cameras: each camera's slot of one batched session must give exactly what that camera's own
/// session gives for the same input, and the rendezvous must neither deadlock loading nor leave a camera waiting.
/// </summary>
public class CameraBatchTests
{
    private static ModelSessionOptions BatchOptions(CameraBatch batch)
    {
        var options = ModelFixtures.Options();
        options.CameraBatch = batch;
        return options;
    }

    /// <summary>A different pseudo-random image per camera.</summary>
    private static void Fill(Span<byte> input, int camera)
    {
        uint state = (uint)(camera * 7919 + 17);
        for (int i = 0; i < input.Length; i++)
        {
            state = state * 1664525 + 1013904223;
            input[i] = (byte)(state >> 24);
        }
    }

    [Theory]
    [InlineData("palette-semantic", new[] { "classmap", "confidence" })]
    [InlineData("palette-lanes", new[] { "lanes", "confidence", "lane_exist" })]
    public void Run_ArmedBatchOfThreeCameras_EachSlotEqualsItsOwnSession(string model, string[] outputs)
    {
        const int cameras = 3;
        using var batch = new CameraBatch(cameras);
        var slots = Enumerable.Range(0, cameras).Select(_ => ModelSession.Load(ModelFixtures.OnnxPath(model), BatchOptions(batch))).ToList();
        try
        {
            Assert.All(slots, s => Assert.Equal(cameras, s.BatchSize));
            for (int c = 0; c < cameras; c++) Fill(slots[c].InputBuffer, c);
            batch.Arm(CancellationToken.None);

            // Each camera on its own thread, as the bench runs them: the last to arrive runs the batch.
            var threads = slots.Select(s => new Thread(s.Run)).ToList();
            threads.ForEach(t => t.Start());
            Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a camera was left waiting"));

            for (int c = 0; c < cameras; c++)
            {
                using var own = ModelSession.Load(ModelFixtures.OnnxPath(model), ModelFixtures.Options());
                Fill(own.InputBuffer, c);
                own.Run();
                foreach (var name in outputs)
                    Assert.Equal(own.OutputTensor(name).Bytes.ToArray(), slots[c].OutputTensor(name).Bytes.ToArray());
            }
            // Distinct inputs, distinct maps: the slots are not one camera's result three times.
            Assert.NotEqual(slots[0].OutputTensor(outputs[0]).Bytes.ToArray(), slots[1].OutputTensor(outputs[0]).Bytes.ToArray());
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Run_InTurnBatchOnOneThread_EachSlotEqualsItsOwnSession()
    {
        const int cameras = 3;
        using var batch = new CameraBatch(cameras, inTurn: true);
        var slots = Enumerable.Range(0, cameras).Select(_ => ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch))).ToList();
        try
        {
            batch.Arm(CancellationToken.None);
            // One thread: fill every slot, then every camera's Run; the first runs the batch, the others read it.
            batch.StartRound();
            for (int c = 0; c < cameras; c++) Fill(slots[c].InputBuffer, c);
            slots.ForEach(s => s.Run());

            for (int c = 0; c < cameras; c++)
            {
                using var own = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), ModelFixtures.Options());
                Fill(own.InputBuffer, c);
                own.Run();
                Assert.Equal(own.OutputTensor("classmap").Bytes.ToArray(), slots[c].OutputTensor("classmap").Bytes.ToArray());
            }
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void Run_InTurnSlotRunTwiceWithoutANewRound_RunsTheBatchAgainOnTheNewInput()
    {
        using var batch = new CameraBatch(2, inTurn: true);
        var slots = Enumerable.Range(0, 2).Select(_ => ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch))).ToList();
        try
        {
            batch.Arm(CancellationToken.None);
            batch.StartRound();
            Fill(slots[0].InputBuffer, 0);
            slots[0].Run();
            var first = slots[0].OutputTensor("classmap").Bytes.ToArray();

            Fill(slots[0].InputBuffer, 5);
            slots[0].Run();

            Assert.NotEqual(first, slots[0].OutputTensor("classmap").Bytes.ToArray());
        }
        finally
        {
            slots.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void StartRound_BarrierBatch_Throws()
    {
        using var batch = new CameraBatch(2);

        var e = Assert.Throws<InvalidOperationException>(batch.StartRound);
        Assert.Contains("inTurn", e.Message);
    }

    [Fact]
    public void Run_BeforeArm_RunsAtOnceWithoutWaitingForTheOtherCameras()
    {
        using var batch = new CameraBatch(2);
        using var first = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch));

        var run = Task.Run(first.Run);

        Assert.True(run.Wait(TimeSpan.FromSeconds(30)));
        Assert.False(batch.Armed);
    }

    [Fact]
    public void Arm_FewerCamerasLoadedThanTheBatch_Throws()
    {
        using var batch = new CameraBatch(2);
        using var only = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch));

        var e = Assert.Throws<InvalidOperationException>(() => batch.Arm(CancellationToken.None));

        Assert.Contains("1 of 2 cameras opened it", e.Message);
    }

    [Fact]
    public void Load_MoreCamerasThanTheBatch_ThrowsNamingTheFix()
    {
        using var batch = new CameraBatch(1);
        using var one = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch));

        var e = Assert.Throws<InvalidOperationException>(() => ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch)));

        Assert.Contains("all 1 slots of the camera batch are taken", e.Message);
    }

    [Fact]
    public void Run_ArmedAndStopped_ReleasesAWaitingCamera()
    {
        using var batch = new CameraBatch(2);
        using var a = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch));
        using var b = ModelSession.Load(ModelFixtures.OnnxPath("palette-semantic"), BatchOptions(batch));
        using var stop = new CancellationTokenSource();
        batch.Arm(stop.Token);

        var waiting = Task.Run(a.Run);
        Assert.False(waiting.Wait(TimeSpan.FromMilliseconds(200)), "camera a ran without camera b");
        stop.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => waiting.GetAwaiter().GetResult());
    }

    [Fact]
    public void BatchItem_ViewSharesTheParentsMemoryAtItsOffset()
    {
        using var parent = PinnedTensor.Allocate("x", Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.UInt8, [3, 2, 4]);
        using var second = parent.BatchItem(1);

        second.Bytes.Fill(7);

        Assert.Equal([1L, 2, 4], second.Shape.ToArray());
        Assert.Equal(8, second.ByteLength);
        Assert.Equal(new byte[8], parent.Bytes[..8].ToArray());
        Assert.All(parent.Bytes[8..16].ToArray(), b => Assert.Equal(7, b));
        Assert.Equal(new byte[8], parent.Bytes[16..].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => parent.BatchItem(3));
    }
}
