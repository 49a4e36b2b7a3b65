using DrivePerception.Vision.Postprocessing;

namespace DrivePerception.Vision.Tests.Postprocessing;

/// <summary>
/// 8-connected labelling of hand-drawn thing maps (a thing index per pixel, -1: stuff); every expected id is worked
/// out by hand: components are numbered in raster order of their first pixel.
/// </summary>
public class ThingComponentsTests
{
    private const int S = -1;  // stuff

    private static (int[] Ids, int Count) Label(int[] thing, int width, int height)
    {
        var components = new ThingComponents();
        components.Label(thing, width, height);
        return (components.Ids.ToArray(), components.Count);
    }

    [Theory]
    [InlineData(new[] { 0, S, S, 0 }, new[] { 0, S, S, 0 })]  // touching at the down-right corner (the up-left neighbour)
    [InlineData(new[] { S, 0, 0, S }, new[] { S, 0, 0, S })]  // touching at the down-left corner (the up-right neighbour)
    public void Label_DiagonalNeighboursOfOneThing_OneComponent(int[] thing, int[] expected)
    {
        var (ids, count) = Label(thing, 2, 2);

        Assert.Equal(1, count);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void Label_NeighboursOfDifferentThings_SeparateComponents()
    {
        // A row car, pedestrian, car: the cars do not touch each other, the pedestrian touches both.
        var (row, rowCount) = Label([0, 1, 0], 3, 1);
        Assert.Equal(3, rowCount);
        Assert.Equal(new[] { 0, 1, 2 }, row);
        // Two diagonals that cross: thing 0 on one, thing 1 on the other; each diagonal is one component.
        var (cross, crossCount) = Label([0, 1, 1, 0], 2, 2);
        Assert.Equal(2, crossCount);
        Assert.Equal(new[] { 0, 1, 1, 0 }, cross);
    }

    [Fact]
    public void Label_UShape_ArmsMergedAtTheBottom()
    {
        // The arms (x 0 and x 4) get provisional labels 0 and 2 in row 0 (the lone pixel at x 2 gets 1); row 2 joins
        // them. The U is component 0 (first pixel (0, 0)), the lone pixel component 1.
        int[] thing =
        [
            0, S, 0, S, 0,
            0, S, S, S, 0,
            0, 0, 0, 0, 0,
        ];

        var (ids, count) = Label(thing, 5, 3);

        Assert.Equal(2, count);
        Assert.Equal(new[]
        {
            0, S, 1, S, 0,
            0, S, S, S, 0,
            0, 0, 0, 0, 0,
        }, ids);
    }

    [Fact]
    public void Label_LaterArmJoinsAnEarlierLabelThroughTheUpRightNeighbour()
    {
        // The right arm starts first (label 0), the left arm later (label 1); pixel (2, 1) is joined to label 1 by its
        // left neighbour and then to label 0 by its up-right one: one component.
        int[] thing =
        [
            S, S, 0,
            0, S, 0,
            0, 0, S,
        ];

        var (ids, count) = Label(thing, 3, 3);

        Assert.Equal(1, count);
        Assert.Equal(new[] { S, S, 0, 0, S, 0, 0, 0, S }, ids);
    }

    [Fact]
    public void Label_NumbersComponentsInRasterOrderOfTheirFirstPixel()
    {
        // Thing 1 reaches further left (x 0) but starts in row 1; thing 0 starts at (0, 2): thing 0 is component 0.
        // Thing 2 at (2, 0) is third.
        int[] thing =
        [
            S, S, 0,
            1, 1, S,
            2, S, S,
        ];

        var (ids, count) = Label(thing, 3, 3);

        Assert.Equal(3, count);
        Assert.Equal(new[] { S, S, 0, 1, 1, S, 2, S, S }, ids);
    }

    [Fact]
    public void Label_AnyNegativeIndexIsStuff()
    {
        var (ids, count) = Label([-5, 0, -1, -100], 2, 2);

        Assert.Equal(1, count);
        Assert.Equal(new[] { S, 0, S, S }, ids);
    }

    [Fact]
    public void Label_AllStuff_NoComponents()
    {
        var (ids, count) = Label([S, S, S], 3, 1);

        Assert.Equal(0, count);
        Assert.Equal(new[] { S, S, S }, ids);
    }

    [Fact]
    public void Label_ReusedOnASmallerMap_IdsAreTheNewMapsOnly()
    {
        var components = new ThingComponents();
        components.Label([0, S, 0, S, 0, S, 0, S, 0], 3, 3);
        Assert.Equal(1, components.Count);  // an X: all diagonal

        components.Label([0, S], 2, 1);

        Assert.Equal(1, components.Count);
        Assert.Equal(new[] { 0, S }, components.Ids.ToArray());
    }

    [Theory]
    [InlineData(5, 2, 3)]  // 5 values for 6 pixels
    [InlineData(0, 0, 3)]  // no width
    public void Label_SizeNotTheMapsLength_Throws(int length, int width, int height)
    {
        var e = Assert.Throws<ArgumentException>(() => new ThingComponents().Label(new int[length], width, height));

        Assert.Contains($"{length} values for {width}x{height}", e.Message);
    }
}
