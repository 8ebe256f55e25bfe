"""Render a widget (the kiosk's root) to a PNG file exactly as the window shows it.

Kivy's `export_to_png` clears to transparent and draws upside down; the kiosk's paper
colour is the window's clear colour (one full-screen layer fewer per frame) and the ideas
wall clips with a scissor box in window coordinates, which a flipped drawing would misplace.
So the widget is drawn the right way up onto the paper colour and flipped when saved.
"""

from __future__ import annotations

from pathlib import Path

from kivy.graphics import ClearBuffers, ClearColor, Fbo, PopMatrix, PushMatrix, Translate


def save_png(widget, path: Path | str, background) -> None:
    fbo = Fbo(size=(int(widget.width), int(widget.height)), with_stencilbuffer=True)
    with fbo:
        ClearColor(*background)
        ClearBuffers()
        PushMatrix()
        Translate(-widget.x, -widget.y, 0)
    parent_canvas = widget.parent.canvas if widget.parent is not None else None
    index = parent_canvas.indexof(widget.canvas) if parent_canvas is not None else -1
    if index > -1:
        parent_canvas.remove(widget.canvas)
    try:
        fbo.add(widget.canvas)
        fbo.add(PopMatrix())
        fbo.draw()
        fbo.texture.save(str(path), flipped=True)
    finally:
        fbo.remove(widget.canvas)
        if index > -1:
            parent_canvas.insert(index, widget.canvas)
