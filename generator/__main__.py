from generator import launch

launch()
