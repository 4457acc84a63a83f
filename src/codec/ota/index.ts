// ZigBee OTA Upgrade image files (ZCL OTA Upgrade cluster file format): the public surface.
export * from './image.js';
