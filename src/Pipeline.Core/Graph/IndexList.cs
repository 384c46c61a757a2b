using System;
using System.Collections;
using System.Collections.Generic;

namespace Pipeline.Core.Graph;

/// <summary>
/// A read-only list of task positions in a <see cref="WorkflowGraph"/>: what the engine walks on its
/// hot path (a struct over an array, so reading it allocates nothing and calls nothing virtual).
/// </summary>
public readonly struct IndexList : IReadOnlyList<int>
{
    private readonly int[]? _items;

    internal IndexList(int[] items) => _items = items;

    public static IndexList Empty => new(Array.Empty<int>());

    public int Count => _items?.Length ?? 0;

    public int this[int position] => _items![position];

    public Enumerator GetEnumerator() => new(_items ?? Array.Empty<int>());

    IEnumerator<int> IEnumerable<int>.GetEnumerator() => ((IEnumerable<int>)(_items ?? Array.Empty<int>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => (_items ?? Array.Empty<int>()).GetEnumerator();

    public struct Enumerator
    {
        private readonly int[] _items;
        private int _position;

        internal Enumerator(int[] items)
        {
            _items = items;
            _position = -1;
        }

        public int Current => _items[_position];

        public bool MoveNext() => ++_position < _items.Length;
    }
}
